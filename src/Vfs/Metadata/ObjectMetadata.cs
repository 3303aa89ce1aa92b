namespace VfsGateway.Vfs.Metadata;

/// <summary>
/// What the Vfs keeps about a file besides its bytes, size and modification time: the fields an
/// object store returns on HEAD. Backends with <see cref="BackendFeatures.Metadata"/> store it
/// natively; for every other backend the Vfs keeps a sidecar record in the backend itself (see
/// docs/vfs.md "Object metadata"), valid only for the exact version of the file it was written for.
/// </summary>
public sealed record ObjectMetadata
{
    private static readonly IReadOnlyDictionary<string, string> None = new Dictionary<string, string>();

    /// <summary>The content type the writer declared.</summary>
    public string? ContentType { get; init; }

    /// <summary>Other stored HTTP headers, by their canonical name (Cache-Control, Content-Disposition, Content-Encoding, Content-Language, Expires).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = None;

    /// <summary>User metadata (x-amz-meta-* without the prefix, lower case).</summary>
    public IReadOnlyDictionary<string, string> UserMetadata { get; init; } = None;

    /// <summary>The entity tag the writer computed for the content (S3: the quoted MD5, or the multipart tag).</summary>
    public string? ETag { get; init; }

    /// <summary>Content checksums by response header name (S3: x-amz-checksum-crc32 and friends), as the protocol prints them.</summary>
    public IReadOnlyDictionary<string, string> Checksums { get; init; } = None;

    /// <summary>The storage class the writer asked for (S3: x-amz-storage-class); null for the default (STANDARD).</summary>
    public string? StorageClass { get; init; }

    /// <summary>The object's tags (S3 object tagging: at most 10, kept with the rest of the metadata).</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = None;

    /// <summary>True when nothing would be worth a record.</summary>
    public bool IsEmpty => ContentType is null && ETag is null && StorageClass is null && Headers.Count == 0 && UserMetadata.Count == 0 && Checksums.Count == 0 && Tags.Count == 0;
}
