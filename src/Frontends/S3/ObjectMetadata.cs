namespace VfsGateway.Frontends.S3;

/// <summary>What S3 returns about an object besides its bytes, remembered for an exact (size, modtime) version.</summary>
internal sealed record ObjectMetadata(
    long Size,
    DateTimeOffset ModTime,
    string ETag,
    string? ContentType,
    IReadOnlyDictionary<string, string> Headers,
    IReadOnlyDictionary<string, string> UserMetadata);
