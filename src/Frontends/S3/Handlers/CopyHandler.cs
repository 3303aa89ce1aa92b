using VfsGateway.Frontends.S3.Xml;
using VfsGateway.Vfs;
using VfsGateway.Vfs.Metadata;

namespace VfsGateway.Frontends.S3.Handlers;

/// <summary>CopyObject (PUT with x-amz-copy-source) and the copy-source parsing UploadPartCopy shares.</summary>
internal sealed class CopyHandler(S3Context c)
{
    public async Task CopyObjectAsync(S3Request r)
    {
        var ct = r.Context.RequestAborted;
        if (r.IsDirectoryMarker)
        {
            throw new S3Exception(S3Error.InvalidRequest, "A directory marker cannot be the target of a copy.");
        }

        var (sourcePath, source, sourceMeta) = await c.ResolveCopySourceAsync(r).ConfigureAwait(false);
        var directive = r.Header("x-amz-metadata-directive") ?? "COPY";
        if (directive is not ("COPY" or "REPLACE"))
        {
            throw new S3Exception(S3Error.InvalidArgument, "Unknown metadata directive.");
        }

        var taggingDirective = r.Header("x-amz-tagging-directive") ?? "COPY";
        if (taggingDirective is not ("COPY" or "REPLACE"))
        {
            throw new S3Exception(S3Error.InvalidArgument, "Unknown tagging directive.");
        }

        // As AWS: the copy gets the storage class the request names (STANDARD when none), and the
        // source's tags unless x-amz-tagging-directive is REPLACE. A copy onto itself is legal when it
        // names a storage class or replaces the metadata.
        var storageClass = S3StorageClasses.OfRequest(r);
        var tags = taggingDirective == "REPLACE" ? S3Tagging.OfHeader(r.Header("x-amz-tagging")) : sourceMeta.Tags;
        if (directive == "COPY" && sourcePath == r.ObjectPath && r.Header("x-amz-storage-class") is null)
        {
            throw new S3Exception(S3Error.InvalidRequest, "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.");
        }

        await c.RequireBucketAsync(r).ConfigureAwait(false);
        if (S3Context.WriteConditionOf(r) is { } condition)
        {
            await c.CheckWriteConditionsAsync(r, condition).ConfigureAwait(false);
        }
        Entry entry;
        string etag;
        if (directive == "COPY" && sourcePath == r.ObjectPath)
        {
            // In place: same bytes, same metadata, the new storage class (and tags).
            entry = source;
            etag = sourceMeta.ETag!;
            await c.Vfs.UpdateMetadataAsync(entry, sourceMeta with { StorageClass = storageClass, Tags = tags }, ct).ConfigureAwait(false);
        }
        else if (directive == "COPY")
        {
            // The Vfs copies the source's metadata record with the bytes: same MD5, same headers.
            entry = await c.Vfs.CopyAsync(sourcePath, r.ObjectPath, ct).ConfigureAwait(false);
            var copied = await c.DescribeAsync(entry, ct).ConfigureAwait(false);
            etag = copied.ETag!;
            if (copied.StorageClass != storageClass || !SameTags(copied.Tags, tags))
            {
                await c.Vfs.UpdateMetadataAsync(entry, copied with { StorageClass = storageClass, Tags = tags }, ct).ConfigureAwait(false);
            }
        }
        else
        {
            // REPLACE rewrites the object through a put so the new content type and metadata are stored with it.
            var userMetadata = S3Metadata.UserMetadataOf(r);
            var contentType = r.Header("Content-Type");
            var headers = S3Metadata.StoredHeadersOf(r);
            var stream = await c.Vfs.OpenReadAsync(sourcePath, null, ct).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var hashed = new PayloadStream(stream, source.Size, long.MaxValue, computeMd5: true, null, null, null, () => null);
                await using (hashed.ConfigureAwait(false))
                {
                    var options = new PutOptions(source.Size, S3Metadata.ModTimeOf(userMetadata), contentType, userMetadata.Count > 0 ? userMetadata : null)
                    {
                        Headers = headers,
                        ObjectMetadataProvider = async ct2 =>
                        {
                            await hashed.DrainAsync(ct2).ConfigureAwait(false);
                            return new ObjectMetadata
                            {
                                ContentType = contentType,
                                Headers = headers,
                                UserMetadata = userMetadata,
                                ETag = S3Metadata.Quote(Convert.ToHexStringLower(hashed.Md5!)),
                                Checksums = sourceMeta.Checksums,
                                StorageClass = storageClass,
                                Tags = tags,
                            };
                        },
                    };
                    entry = await c.Vfs.PutAsync(r.ObjectPath, hashed, options, ct).ConfigureAwait(false);
                    etag = S3Metadata.Quote(Convert.ToHexStringLower(hashed.Md5!));
                }
            }
        }

        c.ETags.Set(entry, etag, storageClass);
        var w = await S3Xml.StartAsync(r.Context.Response, "CopyObjectResult").ConfigureAwait(false);
        await w.ElementAsync("LastModified", entry.ModTime).ConfigureAwait(false);
        await w.ElementAsync("ETag", etag).ConfigureAwait(false);
        await S3Xml.EndAsync(w).ConfigureAwait(false);
    }

    private static bool SameTags(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(t => b.TryGetValue(t.Key, out var v) && v == t.Value);
}
