namespace VfsGateway.Frontends.S3;

/// <summary>One staged part: its number, content MD5 (hex), size and when it was uploaded.</summary>
internal sealed record MultipartPart(int PartNumber, string Md5, long Size, DateTimeOffset LastModified);
