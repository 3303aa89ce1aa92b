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

    private Task DispatchAsync(S3Request r)
    {
        foreach (var (name, _) in r.QueryPairs)
        {
            if (!KnownParameters.Contains(name))
            {
                throw new S3Exception(S3Error.NotImplemented, $"The '{name}' sub-resource or parameter is not implemented.");
            }
        }

        if (r.Query("versionId") is { } version && version != "null")
        {
            throw new S3Exception(S3Error.NotImplemented, "Object versions are not implemented.");
        }

        if (r.Bucket.Length == 0)
        {
            return r.Method == "GET" ? ListBucketsAsync(r) : NotImplemented(r);
        }

        if (r.Key.Length == 0)
        {
            return r.Method switch
            {
                "GET" when r.HasQuery("location") => GetBucketLocationAsync(r),
                "GET" when r.HasQuery("versioning") => GetBucketVersioningAsync(r),
                "GET" when r.HasQuery("uploads") => ListMultipartUploadsAsync(r),
                "GET" when r.Query("list-type") == "2" => ListObjectsAsync(r, v2: true),
                "GET" when r.Query("list-type") is null => ListObjectsAsync(r, v2: false),
                "HEAD" => HeadBucketAsync(r),
                "PUT" when !r.HasQuery("versioning") => CreateBucketAsync(r),
                "DELETE" => DeleteBucketAsync(r),
                "POST" when r.HasQuery("delete") => DeleteObjectsAsync(r),
                _ => NotImplemented(r),
            };
        }

        var copySource = r.Header("x-amz-copy-source") is not null;
        return r.Method switch
        {
            "GET" when r.HasQuery("uploadId") => ListPartsAsync(r),
            "GET" => GetObjectAsync(r, headOnly: false),
            "HEAD" => GetObjectAsync(r, headOnly: true),
            "PUT" when r.HasQuery("uploadId") && r.HasQuery("partNumber") => copySource ? UploadPartCopyAsync(r) : UploadPartAsync(r),
            "PUT" when r.HasQuery("uploadId") || r.HasQuery("partNumber") => throw new S3Exception(S3Error.InvalidRequest, "UploadPart needs both uploadId and partNumber."),
            "PUT" when copySource => CopyObjectAsync(r),
            "PUT" => PutObjectAsync(r),
            "DELETE" when r.HasQuery("uploadId") => AbortMultipartUploadAsync(r),
            "DELETE" => DeleteObjectAsync(r),
            "POST" when r.HasQuery("uploads") => CreateMultipartUploadAsync(r),
            "POST" when r.HasQuery("uploadId") => CompleteMultipartUploadAsync(r),
            _ => NotImplemented(r),
        };
    }

    private static Task NotImplemented(S3Request r) =>
        throw new S3Exception(S3Error.NotImplemented, $"{r.Method} on this resource is not implemented.");
}
