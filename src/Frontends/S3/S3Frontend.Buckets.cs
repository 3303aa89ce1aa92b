using Microsoft.AspNetCore.Http;
using VfsGateway.Vfs;

namespace VfsGateway.Frontends.S3;

/// <summary>ListBuckets, CreateBucket, DeleteBucket, HeadBucket, GetBucketLocation. A bucket is a root directory.</summary>
internal sealed partial class S3Frontend
{
    private async Task ListBucketsAsync(S3Request r)
    {
        var ct = r.Context.RequestAborted;
        var buckets = new List<Entry>();
        try
        {
            await foreach (var entry in _vfs.ListAsync(VfsPath.Root, ct).ConfigureAwait(false))
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

    private async Task CreateBucketAsync(S3Request r)
    {
        var ct = r.Context.RequestAborted;
        Entry? existing = null;
        try
        {
            existing = await _vfs.StatAsync(r.BucketPath, ct).ConfigureAwait(false);
        }
        catch (VfsException e) when (e.Kind is VfsErrorKind.NotFound or VfsErrorKind.DirNotFound)
        {
        }

        if (existing is not null)
        {
            throw new S3Exception(existing.IsDirectory ? S3Error.BucketAlreadyOwnedByYou : S3Error.BucketAlreadyExists);
        }

        // The optional CreateBucketConfiguration (a region) does not matter here, but it must be well-formed.
        if (r.Context.Request.ContentLength is > 0 || r.Header("x-amz-decoded-content-length") is not (null or "0"))
        {
            var document = await ReadXmlAsync(r).ConfigureAwait(false);
            if (document.Root?.Name.LocalName != "CreateBucketConfiguration")
            {
                throw new S3Exception(S3Error.MalformedXml);
            }
        }
        await _vfs.MkdirAsync(r.BucketPath, ct).ConfigureAwait(false);
        r.Context.Response.Headers.Location = "/" + r.Bucket;
    }

    private async Task DeleteBucketAsync(S3Request r)
    {
        await RequireBucketAsync(r).ConfigureAwait(false);
        await _vfs.RmdirAsync(r.BucketPath, r.Context.RequestAborted).ConfigureAwait(false);
        r.Context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private async Task HeadBucketAsync(S3Request r)
    {
        await RequireBucketAsync(r).ConfigureAwait(false);
        r.Context.Response.Headers["x-amz-bucket-region"] = "us-east-1";
    }

    private async Task GetBucketLocationAsync(S3Request r)
    {
        await RequireBucketAsync(r).ConfigureAwait(false);

        // An empty LocationConstraint means us-east-1; SDKs sign with any region anyway.
        var w = await S3Xml.StartAsync(r.Context.Response, "LocationConstraint").ConfigureAwait(false);
        await S3Xml.EndAsync(w).ConfigureAwait(false);
    }

    /// <summary>Versioning is never enabled: an empty configuration (rclone asks before purging).</summary>
    private async Task GetBucketVersioningAsync(S3Request r)
    {
        await RequireBucketAsync(r).ConfigureAwait(false);
        var w = await S3Xml.StartAsync(r.Context.Response, "VersioningConfiguration").ConfigureAwait(false);
        await S3Xml.EndAsync(w).ConfigureAwait(false);
    }

    private async Task RequireBucketAsync(S3Request r)
    {
        try
        {
            var entry = await _vfs.StatAsync(r.BucketPath, r.Context.RequestAborted).ConfigureAwait(false);
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
}
