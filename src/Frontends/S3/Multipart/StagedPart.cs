namespace VfsGateway.Frontends.S3.Multipart;

/// <summary>One part staged on local disk: its number, content MD5 (hex), size and when it was uploaded.</summary>
internal sealed record StagedPart(int PartNumber, string Md5, long Size, DateTimeOffset LastModified);
