namespace VfsGateway.Frontends.S3.Multipart;

/// <summary>One part staged on local disk: its number, content MD5 (hex), size, when it was uploaded, and its additional checksum (base64, the upload's algorithm).</summary>
internal sealed record StagedPart(int PartNumber, string Md5, long Size, DateTimeOffset LastModified, string? Checksum = null);
