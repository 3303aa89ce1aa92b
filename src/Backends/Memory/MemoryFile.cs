namespace VfsGateway.Backends.Memory;

/// <summary>
/// One stored object. Immutable: a put builds a new one and swaps it in, so readers that opened
/// the previous version keep reading a consistent snapshot.
/// </summary>
internal sealed class MemoryFile(IReadOnlyList<byte[]> chunks, long length, DateTimeOffset modTime, string etag, string? contentType)
{
    /// <summary>Fixed-size chunks (below the large-object-heap threshold), the last one partly used.</summary>
    public const int ChunkSize = 64 * 1024;

    public IReadOnlyList<byte[]> Chunks { get; } = chunks;

    public long Length { get; } = length;

    public DateTimeOffset ModTime { get; } = modTime;

    public string ETag { get; } = etag;

    public string? ContentType { get; } = contentType;

    public MemoryFile WithModTime(DateTimeOffset modTime) => new(Chunks, Length, modTime, ETag, ContentType);
}
