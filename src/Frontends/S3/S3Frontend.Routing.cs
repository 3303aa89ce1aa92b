namespace VfsGateway.Frontends.S3;

/// <summary>The one routing table: (bucket?, key?, method, sub-resource) → handler; anything else is 501.</summary>
internal sealed partial class S3Frontend
{
    /// <summary>Query parameters that select no unsupported operation (request parameters, signing, response overrides).</summary>
    private static readonly HashSet<string> KnownParameters = new(StringComparer.Ordinal)
    {
        "prefix", "delimiter", "marker", "max-keys", "encoding-type", "list-type", "continuation-token", "start-after",
        "fetch-owner", "uploadId", "partNumber", "max-parts", "part-number-marker", "key-marker", "upload-id-marker",
        "max-uploads", "uploads", "delete", "location", "versioning", "x-id", "versionId",
        "response-content-type", "response-content-language", "response-expires", "response-cache-control",
        "response-content-disposition", "response-content-encoding",
        "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature",
        "X-Amz-Security-Token", "X-Amz-Content-Sha256", "x-amz-checksum-mode",
    };

    /// <summary>Picks the handler and names the operation (the S3 API action, the metrics label); unknown requests get a handler that fails.</summary>
    private (string Operation, Func<Task> Handler) Route(S3Request r)
    {
        foreach (var (name, _) in r.QueryPairs)
        {
            if (!KnownParameters.Contains(name))
            {
                return ("Unknown", () => throw new S3Exception(S3Error.NotImplemented, $"The '{name}' sub-resource or parameter is not implemented."));
            }
        }

        if (r.Query("versionId") is { } version && version != "null")
        {
            return ("Unknown", () => throw new S3Exception(S3Error.NotImplemented, "Object versions are not implemented."));
        }

        if (r.Bucket.Length == 0)
        {
            return r.Method == "GET" ? ("ListBuckets", () => ListBucketsAsync(r)) : NotImplemented(r);
        }

        if (r.Key.Length == 0)
        {
            return r.Method switch
            {
                "GET" when r.HasQuery("location") => ("GetBucketLocation", () => GetBucketLocationAsync(r)),
                "GET" when r.HasQuery("versioning") => ("GetBucketVersioning", () => GetBucketVersioningAsync(r)),
                "GET" when r.HasQuery("uploads") => ("ListMultipartUploads", () => ListMultipartUploadsAsync(r)),
                "GET" when r.Query("list-type") == "2" => ("ListObjectsV2", () => ListObjectsAsync(r, v2: true)),
                "GET" when r.Query("list-type") is null => ("ListObjects", () => ListObjectsAsync(r, v2: false)),
                "HEAD" => ("HeadBucket", () => HeadBucketAsync(r)),
                "PUT" when !r.HasQuery("versioning") => ("CreateBucket", () => CreateBucketAsync(r)),
                "DELETE" => ("DeleteBucket", () => DeleteBucketAsync(r)),
                "POST" when r.HasQuery("delete") => ("DeleteObjects", () => DeleteObjectsAsync(r)),
                _ => NotImplemented(r),
            };
        }

        var copySource = r.Header("x-amz-copy-source") is not null;
        return r.Method switch
        {
            "GET" when r.HasQuery("uploadId") => ("ListParts", () => ListPartsAsync(r)),
            "GET" => ("GetObject", () => GetObjectAsync(r, headOnly: false)),
            "HEAD" => ("HeadObject", () => GetObjectAsync(r, headOnly: true)),
            "PUT" when r.HasQuery("uploadId") && r.HasQuery("partNumber") => copySource ? ("UploadPartCopy", () => UploadPartCopyAsync(r)) : ("UploadPart", () => UploadPartAsync(r)),
            "PUT" when r.HasQuery("uploadId") || r.HasQuery("partNumber") => ("UploadPart", () => throw new S3Exception(S3Error.InvalidRequest, "UploadPart needs both uploadId and partNumber.")),
            "PUT" when copySource => ("CopyObject", () => CopyObjectAsync(r)),
            "PUT" => ("PutObject", () => PutObjectAsync(r)),
            "DELETE" when r.HasQuery("uploadId") => ("AbortMultipartUpload", () => AbortMultipartUploadAsync(r)),
            "DELETE" => ("DeleteObject", () => DeleteObjectAsync(r)),
            "POST" when r.HasQuery("uploads") => ("CreateMultipartUpload", () => CreateMultipartUploadAsync(r)),
            "POST" when r.HasQuery("uploadId") => ("CompleteMultipartUpload", () => CompleteMultipartUploadAsync(r)),
            _ => NotImplemented(r),
        };
    }

    private static (string, Func<Task>) NotImplemented(S3Request r) =>
        ("Unknown", () => throw new S3Exception(S3Error.NotImplemented, $"{r.Method} on this resource is not implemented."));
}
