using VfsGateway.Vfs;
using VfsGateway.Vfs.Metadata;

namespace VfsGateway.Frontends.S3.Handlers;

/// <summary>Shared by several handlers: write conditions, deleting one key, resolving a copy source.</summary>
internal sealed partial class S3Context
{
    /// <summary>Keys are independent objects ("a" next to "a/b"; "dir/" with content): the backend is bucket-based.</summary>
    public bool BucketBased => Vfs.Features.BucketBased;

    /// <summary>Whether the backend checks write conditions atomically with the put (PutOptions.Condition).</summary>
    public bool AtomicConditions => Vfs.Features.ConditionalPut && Vfs.Options.CacheMode == VfsCacheMode.Off;

    /// <summary>The write condition a request carries: If-None-Match: * (only create) and/or If-Match (only replace that version).</summary>
    public static PutCondition? WriteConditionOf(S3Request r)
    {
        var ifNoneMatch = r.Header("If-None-Match");
        var ifMatch = r.Header("If-Match");
        if (ifNoneMatch is null && ifMatch is null)
        {
            return null;
        }

        if (ifNoneMatch is not null && ifNoneMatch.Trim() != "*")
        {
            throw new S3Exception(S3Error.NotImplemented, "If-None-Match on writes supports only '*'.");
        }

        return new PutCondition(ifNoneMatch is not null, ifMatch);
    }

    /// <summary>Checks a write condition before the write (not atomic: for backends that cannot check it themselves, and for copies).</summary>
    public async Task CheckWriteConditionsAsync(S3Request r, PutCondition condition)
    {
        Entry? current = null;
        try
        {
            current = await Vfs.StatAsync(r.ObjectPath, r.Context.RequestAborted).ConfigureAwait(false);
        }
        catch (VfsException e) when (e.Kind is VfsErrorKind.NotFound or VfsErrorKind.DirNotFound or VfsErrorKind.NotDirectory)
        {
        }

        var exists = current is { IsDirectory: false };
        if (condition.IfNoneMatchAny && exists)
        {
            throw new S3Exception(S3Error.PreconditionFailed);
        }

        if (condition.IfMatch is { } ifMatch)
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

    /// <summary>Deletes one key; a missing key is success (S3 semantics), a missing bucket is not.</summary>
    public async Task DeleteOneAsync(S3Request r, VfsPath path, bool directoryMarker, CancellationToken ct)
    {
        try
        {
            if (directoryMarker)
            {
                await Vfs.RmdirAsync(path, ct).ConfigureAwait(false);
            }
            else
            {
                await Vfs.DeleteAsync(path, ct).ConfigureAwait(false);
            }
        }
        catch (VfsException e) when (e.Kind is VfsErrorKind.NotFound or VfsErrorKind.DirNotFound or VfsErrorKind.IsDirectory or VfsErrorKind.NotDirectory or VfsErrorKind.DirNotEmpty)
        {
            await RequireBucketAsync(r).ConfigureAwait(false);
            return;
        }

        // On a bucket-based backend a prefix vanishes with its last key by itself, and a "dir/" key
        // is an object a client stored, which AWS keeps when the keys below it go.
        if (!Options.NoCleanup && !BucketBased)
        {
            await PruneEmptyParentsAsync(r.BucketPath, path, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// In S3 a prefix exists only while objects live under it, so directories emptied by a delete
    /// are removed, up to (not including) the bucket; the first non-empty one stops the walk.
    /// </summary>
    public async Task PruneEmptyParentsAsync(VfsPath bucket, VfsPath deleted, CancellationToken ct)
    {
        for (var dir = deleted.Parent; dir.Depth > bucket.Depth; dir = dir.Parent)
        {
            try
            {
                await Vfs.RmdirAsync(dir, ct).ConfigureAwait(false);
            }
            catch (VfsException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Parses x-amz-copy-source ("/bucket/key" or "bucket/key", URL-encoded, optionally
    /// "?versionId=null") into a canonical path with the same rules as request keys, stats it and
    /// evaluates x-amz-copy-source-if-*.
    /// </summary>
    public async Task<(VfsPath Path, Entry Entry, ObjectMetadata Meta)> ResolveCopySourceAsync(S3Request r)
    {
        var header = r.Header("x-amz-copy-source")!;
        var query = header.IndexOf('?', StringComparison.Ordinal);
        if (query >= 0)
        {
            var version = header[(query + 1)..];
            if (version != "versionId=null")
            {
                throw version.StartsWith("versionId=", StringComparison.Ordinal)
                    ? VersionsHandler.NoSuchVersion(S3Request.StrictDecode(version["versionId=".Length..]))
                    : new S3Exception(S3Error.InvalidArgument, "Copy Source may only carry a versionId.");
            }

            header = header[..query];
        }

        var decoded = S3Request.StrictDecode(header);
        if (decoded.StartsWith('/'))
        {
            decoded = decoded[1..];
        }

        var slash = decoded.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == decoded.Length - 1)
        {
            throw new S3Exception(S3Error.InvalidArgument, "Copy Source must mention the source bucket and key: sourcebucket/sourcekey");
        }

        var bucket = decoded[..slash];
        if (!BucketNames.IsValid(bucket))
        {
            throw new S3Exception(S3Error.InvalidBucketName, $"The specified bucket is not valid: '{bucket}'.");
        }

        var bucketPath = VfsPath.Root.Join(bucket);
        var path = S3Request.ParseKey(bucketPath, decoded[(slash + 1)..], BucketBased);
        Entry entry;
        try
        {
            entry = await Vfs.StatAsync(path, r.Context.RequestAborted).ConfigureAwait(false);
        }
        catch (VfsException e) when (e.Kind is VfsErrorKind.NotFound or VfsErrorKind.DirNotFound or VfsErrorKind.NotDirectory)
        {
            entry = Entry.Directory(path);
        }

        if (entry.IsDirectory)
        {
            var bucketEntry = await TryStatAsync(bucketPath, r.Context.RequestAborted).ConfigureAwait(false);
            throw new S3Exception(bucketEntry is { IsDirectory: true } ? S3Error.NoSuchKey : S3Error.NoSuchBucket);
        }

        var meta = await DescribeAsync(entry, r.Context.RequestAborted).ConfigureAwait(false);
        if (S3Conditions.CheckCopySource(r, meta.ETag!, entry.ModTime) is { } failed)
        {
            throw new S3Exception(failed);
        }

        return (path, entry, meta);
    }
}
