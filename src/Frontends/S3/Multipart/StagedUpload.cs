namespace VfsGateway.Frontends.S3.Multipart;

/// <summary>An incomplete multipart upload as staged on local disk (upload.json; the property names are the file format).</summary>
internal sealed record StagedUpload(
    string UploadId,
    string Bucket,
    string Key,
    DateTimeOffset Initiated,
    string? ContentType,
    Dictionary<string, string> UserMetadata,
    Dictionary<string, string> Headers,
    string? StorageClass = null,
    Dictionary<string, string>? Tags = null,
    Dictionary<string, string>? Checksums = null);
