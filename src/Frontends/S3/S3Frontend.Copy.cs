using VfsGateway.Vfs;
using VfsGateway.Vfs.Metadata;

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
        string etag;
        if (directive == "COPY")
        {
            // The Vfs copies the source's metadata record with the bytes: same MD5, same headers.
            entry = await _vfs.CopyAsync(sourcePath, r.ObjectPath, ct).ConfigureAwait(false);
            etag = (await DescribeAsync(entry, ct).ConfigureAwait(false)).ETag!;
        }
        else
        {
            // REPLACE rewrites the object through a put so the new content type and metadata are stored with it.
            var userMetadata = UserMetadataOf(r);
            var contentType = r.Header("Content-Type");
            var headers = StoredHeadersOf(r);
            var stream = await _vfs.OpenReadAsync(sourcePath, null, ct).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var hashed = new PayloadStream(stream, source.Size, long.MaxValue, computeMd5: true, null, null, null, () => null);
                await using (hashed.ConfigureAwait(false))
                {
                    var options = new PutOptions(source.Size, ModTimeOf(userMetadata), contentType, userMetadata.Count > 0 ? userMetadata : null)
                    {
                        ObjectMetadataProvider = async ct2 =>
                        {
                            await hashed.DrainAsync(ct2).ConfigureAwait(false);
                            return new ObjectMetadata
                            {
                                ContentType = contentType,
                                Headers = headers,
                                UserMetadata = userMetadata,
                                ETag = Quote(Convert.ToHexStringLower(hashed.Md5!)),
                                Checksums = sourceMeta.Checksums,
                            };
                        },
                    };
                    entry = await _vfs.PutAsync(r.ObjectPath, hashed, options, ct).ConfigureAwait(false);
                    etag = Quote(Convert.ToHexStringLower(hashed.Md5!));
                }
            }
        }

        _etags.Set(entry, etag);
        var w = await S3Xml.StartAsync(r.Context.Response, "CopyObjectResult").ConfigureAwait(false);
        await w.ElementAsync("LastModified", entry.ModTime).ConfigureAwait(false);
        await w.ElementAsync("ETag", etag).ConfigureAwait(false);
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

        var meta = await DescribeAsync(entry, r.Context.RequestAborted).ConfigureAwait(false);
        if (S3Conditions.CheckCopySource(r, meta.ETag!, entry.ModTime) is { } failed)
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
