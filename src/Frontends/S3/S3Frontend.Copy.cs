using VfsGateway.Vfs;

namespace VfsGateway.Frontends.S3;

/// <summary>CopyObject (PUT with x-amz-copy-source) and the copy-source parsing UploadPartCopy shares.</summary>
internal sealed partial class S3Frontend
{
    private async Task CopyObjectAsync(S3Request r)
    {
        var ct = r.Context.RequestAborted;
        if (r.IsDirectoryMarker)
        {
            throw new S3Exception(S3Error.InvalidRequest, "A directory marker cannot be the target of a copy.");
        }

        var (sourcePath, source, sourceMeta) = await ResolveCopySourceAsync(r).ConfigureAwait(false);
        var directive = r.Header("x-amz-metadata-directive") ?? "COPY";
        if (directive is not ("COPY" or "REPLACE"))
        {
            throw new S3Exception(S3Error.InvalidArgument, "Unknown metadata directive.");
        }

        if (directive == "COPY" && sourcePath == r.ObjectPath)
        {
            throw new S3Exception(S3Error.InvalidRequest, "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.");
        }

        await RequireBucketAsync(r).ConfigureAwait(false);
        await CheckWriteConditionsAsync(r).ConfigureAwait(false);
        Entry entry;
        ObjectMetadata meta;
        if (directive == "COPY")
        {
            entry = await _vfs.CopyAsync(sourcePath, r.ObjectPath, ct).ConfigureAwait(false);

            // The same bytes have the same MD5; without a known MD5 the copy gets its own derived tag.
            var known = _metadata.Get(sourcePath, source);
            var etag = known?.ETag ?? DefaultETag(entry);
            meta = sourceMeta with { Size = entry.Size, ModTime = entry.ModTime, ETag = etag };
        }
        else
        {
            // REPLACE rewrites the object through a put so the new content type and metadata are stored with it.
            var userMetadata = UserMetadataOf(r);
            var stream = await _vfs.OpenReadAsync(sourcePath, null, ct).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var hashed = new PayloadStream(stream, source.Size, long.MaxValue, computeMd5: true, null, null, null, () => null);
                await using (hashed.ConfigureAwait(false))
                {
                    entry = await _vfs.PutAsync(r.ObjectPath, hashed, new PutOptions(source.Size, ModTimeOf(userMetadata), r.Header("Content-Type"), userMetadata.Count > 0 ? userMetadata : null), ct).ConfigureAwait(false);
                    await hashed.DrainAsync(ct).ConfigureAwait(false);
                    meta = new ObjectMetadata(entry.Size, entry.ModTime, Quote(Convert.ToHexStringLower(hashed.Md5!)), r.Header("Content-Type"), StoredHeadersOf(r), userMetadata);
                }
            }
        }

        _metadata.Set(r.ObjectPath, meta);
        var w = await S3Xml.StartAsync(r.Context.Response, "CopyObjectResult").ConfigureAwait(false);
        await w.ElementAsync("LastModified", entry.ModTime).ConfigureAwait(false);
        await w.ElementAsync("ETag", meta.ETag).ConfigureAwait(false);
        await S3Xml.EndAsync(w).ConfigureAwait(false);
    }

    /// <summary>
    /// Parses x-amz-copy-source ("/bucket/key" or "bucket/key", URL-encoded, optionally
    /// "?versionId=null") into a canonical path with the same rules as request keys, stats it and
    /// evaluates x-amz-copy-source-if-*.
    /// </summary>
    private async Task<(VfsPath Path, Entry Entry, ObjectMetadata Meta)> ResolveCopySourceAsync(S3Request r)
    {
        var header = r.Header("x-amz-copy-source")!;
        var query = header.IndexOf('?', StringComparison.Ordinal);
        if (query >= 0)
        {
            var version = header[(query + 1)..];
            if (version != "versionId=null")
            {
                throw new S3Exception(S3Error.NotImplemented, "Copying object versions is not implemented.");
            }

            header = header[..query];
        }

        var decoded = Uri.UnescapeDataString(header);
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
        var path = S3Request.ParseKey(bucketPath, decoded[(slash + 1)..]);
        Entry entry;
        try
        {
            entry = await _vfs.StatAsync(path, r.Context.RequestAborted).ConfigureAwait(false);
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

        var meta = Describe(path, entry);
        if (S3Conditions.CheckCopySource(r, meta.ETag, entry.ModTime) is { } failed)
        {
            throw new S3Exception(failed);
        }

        return (path, entry, meta);
    }

    private async Task<Entry?> TryStatAsync(VfsPath path, CancellationToken ct)
    {
        try
        {
            return await _vfs.StatAsync(path, ct).ConfigureAwait(false);
        }
        catch (VfsException e) when (e.Kind is VfsErrorKind.NotFound or VfsErrorKind.DirNotFound or VfsErrorKind.NotDirectory)
        {
            return null;
        }
    }
}
