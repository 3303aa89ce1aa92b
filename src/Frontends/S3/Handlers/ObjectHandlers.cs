using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using VfsGateway.Frontends.S3.Checksums;
using VfsGateway.Frontends.S3.Xml;
using VfsGateway.Vfs;
using VfsGateway.Vfs.Metadata;

namespace VfsGateway.Frontends.S3.Handlers;

/// <summary>HeadObject, GetObject, PutObject, DeleteObject.</summary>
internal sealed class ObjectHandlers(S3Context c)
{
    private const int GetCopyBufferSize = 1024 * 1024;

    private static readonly (string Parameter, string Header)[] ResponseOverrides =
    [
        ("response-content-type", "Content-Type"),
        ("response-content-language", "Content-Language"),
        ("response-expires", "Expires"),
        ("response-cache-control", "Cache-Control"),
        ("response-content-disposition", "Content-Disposition"),
        ("response-content-encoding", "Content-Encoding"),
    ];

    public async Task GetObjectAsync(S3Request r, bool headOnly)
    {
        var ct = r.Context.RequestAborted;
        var entry = r.IsDirectoryMarker ? await StatDirectoryMarkerAsync(r).ConfigureAwait(false) : await c.StatObjectAsync(r, r.ObjectPath).ConfigureAwait(false);
        var meta = await c.DescribeAsync(entry, ct).ConfigureAwait(false);
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

        // AWS leaves the header out for STANDARD.
        if (meta.StorageClass is { } storageClass)
        {
            response.Headers["x-amz-storage-class"] = storageClass;
        }

        if (meta.Tags.Count > 0)
        {
            response.Headers["x-amz-tagging-count"] = S3Tagging.Count(meta.Tags);
        }

        // A whole-object checksum describes the whole object only: AWS leaves it out of ranged reads
        // (and SDKs that asked for it validate the body against it).
        if (range is null && string.Equals(r.Header("x-amz-checksum-mode"), "ENABLED", StringComparison.OrdinalIgnoreCase))
        {
            foreach (var (name, value) in S3Checksums.HeadersOf(meta))
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

        var stream = await c.Vfs.OpenReadAsync(r.ObjectPath, range, ct).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            // Up to 1 MiB per read and response write: over a network backend (an FTP data connection)
            // fewer, larger hand-offs to Kestrel moved large GETs 0.58x -> 0.77x of curl's own rate
            // (docs/performance.md, FTP backend); a small object rents only what it needs.
            await StreamCopier.CopyAsync(stream, response.Body, count, null, ct, (int)Math.Min(count, GetCopyBufferSize)).ConfigureAwait(false);
        }
    }

    public async Task PutObjectAsync(S3Request r)
    {
        var ct = r.Context.RequestAborted;
        await c.RequireBucketAsync(r).ConfigureAwait(false);
        if (r.IsDirectoryMarker)
        {
            await PutDirectoryMarkerAsync(r).ConfigureAwait(false);
            return;
        }

        // With a backend that checks conditions itself (and no per-instance cache in between) the check
        // is atomic with the write, so two gateway instances racing If-None-Match: * cannot both win.
        var condition = S3Context.WriteConditionOf(r);
        if (condition is not null && !c.AtomicConditions)
        {
            await c.CheckWriteConditionsAsync(r, condition).ConfigureAwait(false);
        }

        var storageClass = S3StorageClasses.OfRequest(r);
        var tags = S3Tagging.OfHeader(r.Header("x-amz-tagging"));
        var body = S3Body.Open(r, S3Body.MaxObjectSize, computeMd5: c.Options.EtagHash == S3EtagHash.Md5);
        var userMetadata = S3Metadata.UserMetadataOf(r);
        var contentType = r.Header("Content-Type");
        var headers = S3Metadata.StoredHeadersOf(r);
        ObjectMetadata? stored = null;
        var options = new PutOptions(
            body.DeclaredLength,
            S3Metadata.ModTimeOf(userMetadata),
            contentType,
            userMetadata.Count > 0 ? userMetadata : null)
        {
            Headers = headers,

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
                    ETag = body.Md5 is { } md5 ? S3Metadata.Quote(Convert.ToHexStringLower(md5)) : null,
                    Checksums = S3Checksums.OfBody(body),
                    StorageClass = storageClass,
                    Tags = tags,
                };
                return stored;
            },
            Condition = c.AtomicConditions ? condition : null,
        };
        var entry = await c.Vfs.PutAsync(r.ObjectPath, body, options, ct).ConfigureAwait(false);
        var etag = stored?.ETag ?? S3Context.DerivedETag(entry);
        c.ETags.Set(entry, etag, storageClass);
        r.Context.Response.Headers.ETag = etag;
        S3Checksums.Echo(r.Context.Response, body);
    }

    public async Task DeleteObjectAsync(S3Request r)
    {
        var ct = r.Context.RequestAborted;
        await c.DeleteOneAsync(r, r.ObjectPath, r.IsDirectoryMarker, ct).ConfigureAwait(false);
        r.Context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private async Task PutDirectoryMarkerAsync(S3Request r)
    {
        try
        {
            var body = S3Body.Open(r, 0, computeMd5: false);
            await body.DrainAsync(r.Context.RequestAborted).ConfigureAwait(false);
        }
        catch (S3Exception e) when (e.Error == S3Error.EntityTooLarge)
        {
            throw new S3Exception(S3Error.KeyConflict, $"The key '{r.Key}' ends in '/': this storage keeps it as a folder, which cannot hold data (only an empty body is accepted).");
        }

        try
        {
            await c.Vfs.MkdirAsync(r.ObjectPath, r.Context.RequestAborted).ConfigureAwait(false);
        }
        catch (VfsException e) when (e.Kind is VfsErrorKind.AlreadyExists or VfsErrorKind.NotDirectory)
        {
            throw new S3Exception(S3Error.KeyConflict, $"The key '{r.Key}' cannot be a folder here: an object named '{r.Key.TrimEnd('/')}' (or one of its parents) exists, and this storage keeps keys as files in folders.");
        }

        r.Context.Response.Headers.ETag = S3Metadata.Quote(S3Context.EmptyMd5);
    }

    /// <summary>A directory-marker key ("dir/") reads as an empty object while the directory exists.</summary>
    private async Task<Entry> StatDirectoryMarkerAsync(S3Request r)
    {
        var entry = await c.TryStatAsync(r.ObjectPath, r.Context.RequestAborted).ConfigureAwait(false);
        if (entry is { IsDirectory: true })
        {
            return Entry.File(r.ObjectPath, 0, entry.ModTime);
        }

        await c.RequireBucketAsync(r).ConfigureAwait(false);
        throw new S3Exception(S3Error.NoSuchKey);
    }

}
