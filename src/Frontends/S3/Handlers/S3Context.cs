using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using VfsGateway.Frontends.S3.Multipart;
using VfsGateway.Vfs;
using VfsGateway.Vfs.Metadata;

namespace VfsGateway.Frontends.S3.Handlers;

/// <summary>
/// What every S3 handler shares: the Vfs, the options, the ETag cache, the multipart store, and the
/// lookups they all make (bucket exists, object stat, the metadata S3 shows for a version).
/// One per frontend; its members are safe to call concurrently.
/// </summary>
internal sealed partial class S3Context(VirtualFileSystem vfs, S3Options options, IS3MultipartUploads uploads, ILogger logger)
{
    /// <summary>The MD5 of nothing: the ETag of an empty object and of a directory marker.</summary>
    public const string EmptyMd5 = "d41d8cd98f00b204e9800998ecf8427e";

    public VirtualFileSystem Vfs { get; } = vfs;

    public S3Options Options { get; } = options;

    public IS3MultipartUploads Uploads { get; } = uploads;

    public ILogger Logger { get; } = logger;

    /// <summary>ETags for listings (never the source of truth).</summary>
    public ETagCache ETags { get; } = new();

    /// <summary>How long a Complete may run before the response starts and whitespace keeps it alive.</summary>
    public TimeSpan CompleteKeepAliveInterval { get; set; } = TimeSpan.FromSeconds(10);

    public async Task RequireBucketAsync(S3Request r)
    {
        try
        {
            var entry = await Vfs.StatAsync(r.BucketPath, r.Context.RequestAborted).ConfigureAwait(false);
            if (entry.IsDirectory)
            {
                return;
            }
        }
        catch (VfsException e) when (e.Kind is VfsErrorKind.NotFound or VfsErrorKind.DirNotFound or VfsErrorKind.NotDirectory)
        {
        }

        throw new S3Exception(S3Error.NoSuchBucket);
    }
    /// <summary>Stats an object; directories, missing keys and missing buckets become NoSuchKey or NoSuchBucket.</summary>
    public async Task<Entry> StatObjectAsync(S3Request r, VfsPath path)
    {
        Entry entry;
        try
        {
            entry = await Vfs.StatAsync(path, r.Context.RequestAborted).ConfigureAwait(false);
        }
        catch (VfsException e) when (e.Kind is VfsErrorKind.NotFound or VfsErrorKind.DirNotFound or VfsErrorKind.NotDirectory)
        {
            await RequireBucketAsync(r).ConfigureAwait(false);
            throw new S3Exception(S3Error.NoSuchKey);
        }

        if (entry.IsDirectory)
        {
            throw new S3Exception(S3Error.NoSuchKey);
        }

        return entry;
    }

    /// <summary>
    /// What S3 returns about this version of an object: the metadata the Vfs keeps for it (which
    /// survives restarts and is shared by every instance), with the ETag always filled in.
    /// </summary>
    public async ValueTask<ObjectMetadata> DescribeAsync(Entry entry, CancellationToken ct)
    {
        var kept = await Vfs.GetMetadataAsync(entry, ct).ConfigureAwait(false);
        var meta = kept ?? new ObjectMetadata { ContentType = entry.ContentType };
        if (meta.ETag is null)
        {
            meta = meta with { ETag = DefaultETag(entry) };
        }

        ETags.Set(entry, meta.ETag!, meta.StorageClass);
        return meta;
    }

    /// <summary>The ETag and storage class for a listing: from the read-through cache when it still describes this version, else from the store.</summary>
    public async ValueTask<(string ETag, string? StorageClass)> ListingETagAsync(Entry entry, CancellationToken ct)
    {
        if (ETags.Get(entry) is { } cached)
        {
            return cached;
        }

        var meta = await DescribeAsync(entry, ct).ConfigureAwait(false);
        return (meta.ETag!, meta.StorageClass);
    }

    public static string DefaultETag(Entry entry) => entry.Size == 0 ? S3Metadata.Quote(EmptyMd5) : DerivedETag(entry);

    /// <summary>
    /// The backend's own tag when it has one; otherwise a tag from size and modification time with
    /// a "-1" suffix, so that clients which verify MD5-looking ETags (rclone) do not mistake it for one.
    /// </summary>
    public static string DerivedETag(Entry entry)
    {
        if (entry.ETag is { Length: > 0 } tag)
        {
            return tag.StartsWith('"') ? tag : S3Metadata.Quote(tag);
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{entry.Size}:{entry.ModTime.UtcTicks}"));
        return S3Metadata.Quote(Convert.ToHexStringLower(hash.AsSpan(0, 16)) + "-1");
    }

    public async Task<Entry?> TryStatAsync(VfsPath path, CancellationToken ct)
    {
        try
        {
            return await Vfs.StatAsync(path, ct).ConfigureAwait(false);
        }
        catch (VfsException e) when (e.Kind is VfsErrorKind.NotFound or VfsErrorKind.DirNotFound or VfsErrorKind.NotDirectory)
        {
            return null;
        }
    }
}
