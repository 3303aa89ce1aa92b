using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using VfsGateway.Vfs;
using VfsGateway.Vfs.Metadata;

namespace VfsGateway.Frontends.S3;

/// <summary>HeadObject, GetObject, PutObject, DeleteObject.</summary>
internal sealed partial class S3Frontend
{
    /// <summary>The MD5 of nothing: the ETag of an empty object and of a directory marker.</summary>
    private const string EmptyMd5 = "d41d8cd98f00b204e9800998ecf8427e";

    private static readonly string[] StoredHeaders = ["Cache-Control", "Content-Disposition", "Content-Encoding", "Content-Language", "Expires"];

    private static readonly (string Parameter, string Header)[] ResponseOverrides =
    [
        ("response-content-type", "Content-Type"),
        ("response-content-language", "Content-Language"),
        ("response-expires", "Expires"),
        ("response-cache-control", "Cache-Control"),
        ("response-content-disposition", "Content-Disposition"),
        ("response-content-encoding", "Content-Encoding"),
    ];

    private static readonly Dictionary<string, string> NoChecksums = [];

    private readonly ETagCache _etags = new();

    private async Task GetObjectAsync(S3Request r, bool headOnly)
    {
        var ct = r.Context.RequestAborted;
        var entry = r.IsDirectoryMarker ? await StatDirectoryMarkerAsync(r).ConfigureAwait(false) : await StatObjectAsync(r, r.ObjectPath).ConfigureAwait(false);
        var meta = await DescribeAsync(entry, ct).ConfigureAwait(false);
        var response = r.Context.Response;
        var etag = meta.ETag!;
        response.Headers.ETag = etag;
        response.Headers.LastModified = S3Xml.HttpDate(entry.ModTime);
        if (S3Conditions.CheckRead(r, etag, entry.ModTime) is { } failed)
        {
            if (failed == S3Error.NotModified)
            {
                response.StatusCode = StatusCodes.Status304NotModified;
                return;
            }

            throw new S3Exception(failed);
        }

        if (r.Query("partNumber") is { } part && part != "1")
        {
            throw new S3Exception(S3Error.InvalidPartNumber);
        }

        response.Headers.ContentRange = $"bytes */{entry.Size}";
        var range = S3Ranges.Parse(r.Header("Range"), entry.Size);
        response.Headers.ContentRange = default;
        response.Headers.AcceptRanges = "bytes";
        response.ContentType = meta.ContentType ?? "binary/octet-stream";
        foreach (var (name, value) in meta.Headers)
        {
            response.Headers[name] = value;
        }

        foreach (var (name, value) in meta.UserMetadata)
        {
            response.Headers["x-amz-meta-" + name] = value;
        }

        // A whole-object checksum describes the whole object only: AWS leaves it out of ranged reads
        // (and SDKs that asked for it validate the body against it).
        if (range is null && string.Equals(r.Header("x-amz-checksum-mode"), "ENABLED", StringComparison.OrdinalIgnoreCase))
        {
            foreach (var (name, value) in meta.Checksums)
            {
                response.Headers[name] = value;
            }
        }

        foreach (var (parameter, header) in ResponseOverrides)
        {
            if (r.Query(parameter) is { } value)
            {
                response.Headers[header] = value;
            }
        }

        var (offset, count) = range is { } rg ? (rg.Offset, rg.Length!.Value) : (0L, entry.Size);
        if (range is not null)
        {
            response.StatusCode = StatusCodes.Status206PartialContent;
            response.Headers.ContentRange = $"bytes {offset}-{offset + count - 1}/{entry.Size}";
        }

        response.ContentLength = count;
        if (headOnly || count == 0)
        {
            return;
        }

        var stream = await _vfs.OpenReadAsync(r.ObjectPath, range, ct).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            await StreamCopier.CopyAsync(stream, response.Body, count, null, ct).ConfigureAwait(false);
        }
    }

    private async Task PutObjectAsync(S3Request r)
    {
        var ct = r.Context.RequestAborted;
        await RequireBucketAsync(r).ConfigureAwait(false);
        if (r.IsDirectoryMarker)
        {
            await PutDirectoryMarkerAsync(r).ConfigureAwait(false);
            return;
        }

        await CheckWriteConditionsAsync(r).ConfigureAwait(false);
        var body = OpenBody(r, MaxObjectSize, computeMd5: _options.EtagHash == S3EtagHash.Md5);
        var userMetadata = UserMetadataOf(r);
        var contentType = r.Header("Content-Type");
        var headers = StoredHeadersOf(r);
        ObjectMetadata? stored = null;
        var options = new PutOptions(
            body.ExpectedLength,
            ModTimeOf(userMetadata),
            contentType,
            userMetadata.Count > 0 ? userMetadata : null)
        {
            // Runs once the Vfs has read the body: a consumer that stopped at the declared length
            // has not seen the trailers yet, so the last checks run here, before the write counts.
            ObjectMetadataProvider = async ct2 =>
            {
                await body.DrainAsync(ct2).ConfigureAwait(false);
                stored = new ObjectMetadata
                {
                    ContentType = contentType,
                    Headers = headers,
                    UserMetadata = userMetadata,
                    ETag = body.Md5 is { } md5 ? Quote(Convert.ToHexStringLower(md5)) : null,
                    Checksums = body.VerifiedChecksum is { } c ? new Dictionary<string, string> { [c.Key] = c.Value } : NoChecksums,
                };
                return stored;
            },
        };
        var entry = await _vfs.PutAsync(r.ObjectPath, body, options, ct).ConfigureAwait(false);
        var etag = stored?.ETag ?? DerivedETag(entry);
        _etags.Set(entry, etag);
        r.Context.Response.Headers.ETag = etag;
        if (body.VerifiedChecksum is { } checksum)
        {
            r.Context.Response.Headers[checksum.Key] = checksum.Value;
        }
    }

    private async Task DeleteObjectAsync(S3Request r)
    {
        var ct = r.Context.RequestAborted;
        await DeleteOneAsync(r, r.ObjectPath, r.IsDirectoryMarker, ct).ConfigureAwait(false);
        r.Context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary>Deletes one key; a missing key is success (S3 semantics), a missing bucket is not.</summary>
    private async Task DeleteOneAsync(S3Request r, VfsPath path, bool directoryMarker, CancellationToken ct)
    {
        try
        {
            if (directoryMarker)
            {
                await _vfs.RmdirAsync(path, ct).ConfigureAwait(false);
            }
            else
            {
                await _vfs.DeleteAsync(path, ct).ConfigureAwait(false);
            }
        }
        catch (VfsException e) when (e.Kind is VfsErrorKind.NotFound or VfsErrorKind.DirNotFound or VfsErrorKind.IsDirectory or VfsErrorKind.NotDirectory or VfsErrorKind.DirNotEmpty)
        {
            await RequireBucketAsync(r).ConfigureAwait(false);
            return;
        }

        if (!_options.NoCleanup)
        {
            await PruneEmptyParentsAsync(r.BucketPath, path, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// In S3 a prefix exists only while objects live under it, so directories emptied by a delete
    /// are removed, up to (not including) the bucket; the first non-empty one stops the walk.
    /// </summary>
    private async Task PruneEmptyParentsAsync(VfsPath bucket, VfsPath deleted, CancellationToken ct)
    {
        for (var dir = deleted.Parent; dir.Depth > bucket.Depth; dir = dir.Parent)
        {
            try
            {
                await _vfs.RmdirAsync(dir, ct).ConfigureAwait(false);
            }
            catch (VfsException)
            {
                return;
            }
        }
    }

    private async Task PutDirectoryMarkerAsync(S3Request r)
    {
        var body = OpenBody(r, 0, computeMd5: false);
        await body.DrainAsync(r.Context.RequestAborted).ConfigureAwait(false);
        try
        {
            await _vfs.MkdirAsync(r.ObjectPath, r.Context.RequestAborted).ConfigureAwait(false);
        }
        catch (VfsException e) when (e.Kind is VfsErrorKind.AlreadyExists or VfsErrorKind.NotDirectory)
        {
            throw new S3Exception(S3Error.InvalidRequest, $"'{r.Key}' cannot be a folder: an object of that name exists.");
        }

        r.Context.Response.Headers.ETag = Quote(EmptyMd5);
    }

    /// <summary>A directory-marker key ("dir/") reads as an empty object while the directory exists.</summary>
    private async Task<Entry> StatDirectoryMarkerAsync(S3Request r)
    {
        var entry = await TryStatAsync(r.ObjectPath, r.Context.RequestAborted).ConfigureAwait(false);
        if (entry is { IsDirectory: true })
        {
            return Entry.File(r.ObjectPath, 0, entry.ModTime);
        }

        await RequireBucketAsync(r).ConfigureAwait(false);
        throw new S3Exception(S3Error.NoSuchKey);
    }

    /// <summary>Conditional writes: If-None-Match: * refuses to overwrite, If-Match needs the current ETag.</summary>
    private async Task CheckWriteConditionsAsync(S3Request r)
    {
        var ifNoneMatch = r.Header("If-None-Match");
        var ifMatch = r.Header("If-Match");
        if (ifNoneMatch is null && ifMatch is null)
        {
            return;
        }

        if (ifNoneMatch is not null && ifNoneMatch.Trim() != "*")
        {
            throw new S3Exception(S3Error.NotImplemented, "If-None-Match on writes supports only '*'.");
        }

        Entry? current = null;
        try
        {
            current = await _vfs.StatAsync(r.ObjectPath, r.Context.RequestAborted).ConfigureAwait(false);
        }
        catch (VfsException e) when (e.Kind is VfsErrorKind.NotFound or VfsErrorKind.DirNotFound or VfsErrorKind.NotDirectory)
        {
        }

        var exists = current is { IsDirectory: false };
        if (ifNoneMatch is not null && exists)
        {
            throw new S3Exception(S3Error.PreconditionFailed);
        }

        if (ifMatch is not null)
        {
            if (!exists)
            {
                throw new S3Exception(S3Error.NoSuchKey);
            }

            var meta = await DescribeAsync(current!, r.Context.RequestAborted).ConfigureAwait(false);
            if (!S3Conditions.ETagMatches(ifMatch, meta.ETag!))
            {
                throw new S3Exception(S3Error.PreconditionFailed);
            }
        }
    }

    /// <summary>Stats an object; directories, missing keys and missing buckets become NoSuchKey or NoSuchBucket.</summary>
    private async Task<Entry> StatObjectAsync(S3Request r, VfsPath path)
    {
        Entry entry;
        try
        {
            entry = await _vfs.StatAsync(path, r.Context.RequestAborted).ConfigureAwait(false);
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
    private async ValueTask<ObjectMetadata> DescribeAsync(Entry entry, CancellationToken ct)
    {
        var kept = await _vfs.GetMetadataAsync(entry, ct).ConfigureAwait(false);
        var meta = kept ?? new ObjectMetadata { ContentType = entry.ContentType };
        if (meta.ETag is null)
        {
            meta = meta with { ETag = DefaultETag(entry) };
        }

        _etags.Set(entry, meta.ETag!);
        return meta;
    }

    /// <summary>The ETag for a listing: from the read-through cache when it still describes this version, else from the store.</summary>
    private async ValueTask<string> ListingETagAsync(Entry entry, CancellationToken ct) =>
        _etags.Get(entry) ?? (await DescribeAsync(entry, ct).ConfigureAwait(false)).ETag!;

    private static string DefaultETag(Entry entry) => entry.Size == 0 ? Quote(EmptyMd5) : DerivedETag(entry);

    /// <summary>
    /// The backend's own tag when it has one; otherwise a tag from size and modification time with
    /// a "-1" suffix, so that clients which verify MD5-looking ETags (rclone) do not mistake it for one.
    /// </summary>
    private static string DerivedETag(Entry entry)
    {
        if (entry.ETag is { Length: > 0 } tag)
        {
            return tag.StartsWith('"') ? tag : Quote(tag);
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{entry.Size}:{entry.ModTime.UtcTicks}"));
        return Quote(Convert.ToHexStringLower(hash.AsSpan(0, 16)) + "-1");
    }

    private static string Quote(string etag) => "\"" + etag + "\"";

    private const int MaxUserMetadataBytes = 2048;

    private static Dictionary<string, string> UserMetadataOf(S3Request r)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in r.Context.Request.Headers)
        {
            if (name.StartsWith("x-amz-meta-", StringComparison.OrdinalIgnoreCase))
            {
                result[name["x-amz-meta-".Length..].ToLowerInvariant()] = values.ToString();
            }
        }

        // AWS: the user-defined metadata (names and values, UTF-8 bytes) is limited to 2 KB.
        var size = result.Sum(m => Encoding.UTF8.GetByteCount(m.Key) + Encoding.UTF8.GetByteCount(m.Value));
        if (size > MaxUserMetadataBytes)
        {
            throw new S3Exception(S3Error.MetadataTooLarge, $"Your metadata headers are {size} bytes; the limit is {MaxUserMetadataBytes} bytes.");
        }

        return result;
    }

    private static Dictionary<string, string> StoredHeadersOf(S3Request r)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in StoredHeaders)
        {
            if (r.Header(name) is not { } value)
            {
                continue;
            }

            // aws-chunked is transfer framing, not a property of the object.
            if (name == "Content-Encoding")
            {
                value = string.Join(',', value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Where(v => v != "aws-chunked"));
                if (value.Length == 0)
                {
                    continue;
                }
            }

            result[name] = value;
        }

        return result;
    }

    /// <summary>rclone stores the source modification time as x-amz-meta-mtime (Unix seconds with up to nine decimals).</summary>
    private static DateTimeOffset? ModTimeOf(Dictionary<string, string> userMetadata) =>
        userMetadata.TryGetValue("mtime", out var value) && decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) && seconds is > 0 and < 253402300799m
            ? DateTimeOffset.UnixEpoch.AddTicks((long)(seconds * TimeSpan.TicksPerSecond))
            : null;
}
