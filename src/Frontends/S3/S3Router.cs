using VfsGateway.Frontends.S3.Auth;
using VfsGateway.Frontends.S3.Handlers;

namespace VfsGateway.Frontends.S3;

/// <summary>The front door: the one routing table (bucket?, key?, method, sub-resource) → handler; anything else is 501.</summary>
internal sealed class S3Router(S3Context context, SigV4Authenticator auth)
{
    private readonly BucketHandlers _buckets = new(context);
    private readonly ObjectHandlers _objects = new(context);
    private readonly ListingHandler _listing = new(context);
    private readonly MultipartHandlers _multipart = new(context);
    private readonly CopyHandler _copy = new(context);
    private readonly DeleteObjectsHandler _deleteObjects = new(context);
    private readonly TaggingHandler _tagging = new(context);
    private readonly AttributesHandler _attributes = new(context);
    private readonly VersionsHandler _versions = new(context);
    private readonly PostObjectHandler _post = new(context, auth);

    /// <summary>Query parameters that select no unsupported operation (request parameters, signing, response overrides); other AWS sub-resources are 501, unknown parameters are ignored.</summary>
    private static readonly HashSet<string> KnownParameters = new(StringComparer.Ordinal)
    {
        "prefix", "delimiter", "marker", "max-keys", "encoding-type", "list-type", "continuation-token", "start-after",
        "fetch-owner", "uploadId", "partNumber", "max-parts", "part-number-marker", "key-marker", "upload-id-marker",
        "max-uploads", "uploads", "delete", "location", "versioning", "x-id", "versionId",
        "response-content-type", "response-content-language", "response-expires", "response-cache-control",
        "response-content-disposition", "response-content-encoding",
        "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature",
        "X-Amz-Security-Token", "X-Amz-Content-Sha256", "x-amz-checksum-mode",
        "tagging", "attributes",
        "versions", "version-id-marker",
    };

    /// <summary>The browser form upload: authenticated by its handler from the form's signed policy, not by the request's signature.</summary>
    public const string PostObject = "PostObject";

    /// <summary>Picks the handler and names the operation (the S3 API action, the metrics label); unknown requests get a handler that fails.</summary>
    public (string Operation, Func<Task> Handler) Route(S3Request r)
    {
        foreach (var (name, _) in r.QueryPairs)
        {
            if (!KnownParameters.Contains(name) && S3SubResources.Contains(name))
            {
                return ("Unknown", () => throw new S3Exception(S3Error.NotImplemented, $"The '{name}' sub-resource or parameter is not implemented."));
            }
        }

        // Buckets are never versioned: every object has the one version "null" (issue 12).
        if (r.Key.Length > 0 && r.Query("versionId") is { } version)
        {
            if (version != "null")
            {
                return ("Unknown", () => throw VersionsHandler.NoSuchVersion(version));
            }

            // The current object is the version "null"; AWS names the version it answered with.
            r.Context.Response.Headers["x-amz-version-id"] = "null";
        }

        if (r.Bucket.Length == 0)
        {
            return r.Method == "GET" ? ("ListBuckets", () => _buckets.ListBucketsAsync(r)) : NotImplemented(r);
        }

        if (r.Key.Length == 0)
        {
            return r.Method switch
            {
                // Bucket tagging is not implemented (object tagging is).
                _ when r.HasQuery("tagging") || r.HasQuery("attributes") => NotImplemented(r),
                "GET" when r.HasQuery("location") => ("GetBucketLocation", () => _buckets.GetBucketLocationAsync(r)),
                "GET" when r.HasQuery("versioning") => ("GetBucketVersioning", () => _buckets.GetBucketVersioningAsync(r)),
                "GET" when r.HasQuery("versions") => ("ListObjectVersions", () => _versions.ListObjectVersionsAsync(r)),
                "PUT" when r.HasQuery("versioning") => ("PutBucketVersioning", () => _versions.PutBucketVersioningAsync(r)),
                "GET" when r.HasQuery("uploads") => ("ListMultipartUploads", () => _multipart.ListMultipartUploadsAsync(r)),
                "GET" when r.Query("list-type") == "2" => ("ListObjectsV2", () => _listing.ListObjectsAsync(r, v2: true)),
                "GET" when r.Query("list-type") is null => ("ListObjects", () => _listing.ListObjectsAsync(r, v2: false)),
                "HEAD" => ("HeadBucket", () => _buckets.HeadBucketAsync(r)),
                "PUT" when !r.HasQuery("versioning") => ("CreateBucket", () => _buckets.CreateBucketAsync(r)),
                "DELETE" => ("DeleteBucket", () => _buckets.DeleteBucketAsync(r)),
                "POST" when r.HasQuery("delete") => ("DeleteObjects", () => _deleteObjects.DeleteObjectsAsync(r)),
                "POST" when PostObjectHandler.IsForm(r) => (PostObject, () => _post.PostObjectAsync(r)),
                _ => NotImplemented(r),
            };
        }

        var copySource = r.Header("x-amz-copy-source") is not null;
        return r.Method switch
        {
            "GET" when r.HasQuery("tagging") => ("GetObjectTagging", () => _tagging.GetObjectTaggingAsync(r)),
            "PUT" when r.HasQuery("tagging") => ("PutObjectTagging", () => _tagging.PutObjectTaggingAsync(r)),
            "DELETE" when r.HasQuery("tagging") => ("DeleteObjectTagging", () => _tagging.DeleteObjectTaggingAsync(r)),
            "GET" when r.HasQuery("attributes") => ("GetObjectAttributes", () => _attributes.GetObjectAttributesAsync(r)),
            _ when r.HasQuery("tagging") || r.HasQuery("attributes") => NotImplemented(r),
            "GET" when r.HasQuery("uploadId") => ("ListParts", () => _multipart.ListPartsAsync(r)),
            "GET" => ("GetObject", () => _objects.GetObjectAsync(r, headOnly: false)),
            "HEAD" => ("HeadObject", () => _objects.GetObjectAsync(r, headOnly: true)),
            "PUT" when r.HasQuery("uploadId") && r.HasQuery("partNumber") => copySource ? ("UploadPartCopy", () => _multipart.UploadPartCopyAsync(r)) : ("UploadPart", () => _multipart.UploadPartAsync(r)),
            "PUT" when r.HasQuery("uploadId") || r.HasQuery("partNumber") => ("UploadPart", () => throw new S3Exception(S3Error.InvalidRequest, "UploadPart needs both uploadId and partNumber.")),
            "PUT" when copySource => ("CopyObject", () => _copy.CopyObjectAsync(r)),
            "PUT" => ("PutObject", () => _objects.PutObjectAsync(r)),
            "DELETE" when r.HasQuery("uploadId") => ("AbortMultipartUpload", () => _multipart.AbortMultipartUploadAsync(r)),
            "DELETE" => ("DeleteObject", () => _objects.DeleteObjectAsync(r)),
            "POST" when r.HasQuery("uploads") => ("CreateMultipartUpload", () => _multipart.CreateMultipartUploadAsync(r)),
            "POST" when r.HasQuery("uploadId") => ("CompleteMultipartUpload", () => _multipart.CompleteMultipartUploadAsync(r)),
            _ => NotImplemented(r),
        };
    }

    private static (string, Func<Task>) NotImplemented(S3Request r) =>
        ("Unknown", () => throw new S3Exception(S3Error.NotImplemented, $"{r.Method} on this resource is not implemented."));
}
