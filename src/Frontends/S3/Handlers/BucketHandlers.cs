using Microsoft.AspNetCore.Http;
using VfsGateway.Frontends.S3.Xml;
using VfsGateway.Vfs;

namespace VfsGateway.Frontends.S3.Handlers;

/// <summary>ListBuckets, CreateBucket, DeleteBucket, HeadBucket, GetBucketLocation. A bucket is a root directory.</summary>
internal sealed class BucketHandlers(S3Context c)
{
    public async Task ListBucketsAsync(S3Request r)
    {
        var ct = r.Context.RequestAborted;
        var buckets = new List<Entry>();
        try
        {
            await foreach (var entry in c.Vfs.ListAsync(VfsPath.Root, ct).ConfigureAwait(false))
            {
                // Files in the root and directories whose names S3 cannot address are not buckets.
                if (entry.IsDirectory && BucketNames.IsValid(entry.Name))
                {
                    buckets.Add(entry);
                }
            }
        }
        catch (VfsException e) when (e.Kind is VfsErrorKind.DirNotFound or VfsErrorKind.NotFound)
        {
            // A remote whose root does not exist yet (created on the first write) has no buckets.
        }

        buckets.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        var w = await S3Xml.StartAsync(r.Context.Response, "ListAllMyBucketsResult").ConfigureAwait(false);
        await S3Xml.OwnerAsync(w).ConfigureAwait(false);
        await w.WriteStartElementAsync(null, "Buckets", null).ConfigureAwait(false);
        foreach (var bucket in buckets)
        {
            await w.WriteStartElementAsync(null, "Bucket", null).ConfigureAwait(false);
            await w.ElementAsync("Name", bucket.Name).ConfigureAwait(false);
            await w.ElementAsync("CreationDate", bucket.ModTime).ConfigureAwait(false);
            await w.WriteEndElementAsync().ConfigureAwait(false);
        }

        await w.WriteEndElementAsync().ConfigureAwait(false);
        await S3Xml.EndAsync(w).ConfigureAwait(false);
    }

    public async Task CreateBucketAsync(S3Request r)
    {
        var ct = r.Context.RequestAborted;
        Entry? existing = null;
        try
        {
            existing = await c.Vfs.StatAsync(r.BucketPath, ct).ConfigureAwait(false);
        }
        catch (VfsException e) when (e.Kind is VfsErrorKind.NotFound or VfsErrorKind.DirNotFound)
        {
        }

        // us-east-1 answers 200 to CreateBucket of a bucket the caller already owns (every client and
        // test suite assumes it); every key may use every bucket here, so an existing bucket is owned.
        if (existing is { IsDirectory: true })
        {
            r.Context.Response.Headers.Location = "/" + r.Bucket;
            return;
        }

        if (existing is not null)
        {
            throw new S3Exception(S3Error.BucketAlreadyExists);
        }

        // The optional CreateBucketConfiguration (a region) does not matter here, but it must be well-formed.
        if (r.Context.Request.ContentLength is > 0 || r.Header("x-amz-decoded-content-length") is not (null or "0"))
        {
            var document = await S3Body.ReadXmlAsync(r).ConfigureAwait(false);
            if (document.Root?.Name.LocalName != "CreateBucketConfiguration")
            {
                throw new S3Exception(S3Error.MalformedXml);
            }
        }
        await c.Vfs.MkdirAsync(r.BucketPath, ct).ConfigureAwait(false);
        r.Context.Response.Headers.Location = "/" + r.Bucket;
    }

    public async Task DeleteBucketAsync(S3Request r)
    {
        await c.RequireBucketAsync(r).ConfigureAwait(false);
        await c.Vfs.RmdirAsync(r.BucketPath, r.Context.RequestAborted).ConfigureAwait(false);
        r.Context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    public async Task HeadBucketAsync(S3Request r)
    {
        await c.RequireBucketAsync(r).ConfigureAwait(false);
        r.Context.Response.Headers["x-amz-bucket-region"] = "us-east-1";
    }

    public async Task GetBucketLocationAsync(S3Request r)
    {
        await c.RequireBucketAsync(r).ConfigureAwait(false);

        // An empty LocationConstraint means us-east-1; SDKs sign with any region anyway.
        var w = await S3Xml.StartAsync(r.Context.Response, "LocationConstraint").ConfigureAwait(false);
        await S3Xml.EndAsync(w).ConfigureAwait(false);
    }

    /// <summary>Versioning is never enabled: an empty configuration (rclone asks before purging).</summary>
    public async Task GetBucketVersioningAsync(S3Request r)
    {
        await c.RequireBucketAsync(r).ConfigureAwait(false);
        var w = await S3Xml.StartAsync(r.Context.Response, "VersioningConfiguration").ConfigureAwait(false);
        await S3Xml.EndAsync(w).ConfigureAwait(false);
    }

}
