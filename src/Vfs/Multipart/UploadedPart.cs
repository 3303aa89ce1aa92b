namespace VfsGateway.Vfs.Multipart;

/// <summary>One staged part.</summary>
/// <param name="PartNumber">1…10000.</param>
/// <param name="ETag">The quoted lower-case hex MD5 of the part's bytes (S3's part ETag).</param>
/// <param name="Size">Bytes.</param>
/// <param name="LastModified">When it was stored (UTC).</param>
public sealed record UploadedPart(int PartNumber, string ETag, long Size, DateTimeOffset LastModified)
{
    /// <summary>The part's additional checksum as the frontend computed it (S3: base64, the upload's algorithm); null when none was kept.</summary>
    public string? Checksum { get; init; }
}
