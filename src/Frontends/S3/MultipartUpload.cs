namespace VfsGateway.Frontends.S3;

/// <summary>An incomplete multipart upload as staged on disk (upload.json).</summary>
internal sealed record MultipartUpload(
    string UploadId,
    string Bucket,
    string Key,
    DateTimeOffset Initiated,
    string? ContentType,
    Dictionary<string, string> UserMetadata,
    Dictionary<string, string> Headers);
