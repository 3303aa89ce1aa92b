namespace VfsGateway.Backends.Memory;

/// <summary>
/// One stored object. Immutable: a put builds a new one and swaps it in, so readers that opened
/// the previous version keep reading a consistent snapshot.
/// </summary>
internal sealed class MemoryFile(IReadOnlyList<byte[]> chunks, long length, DateTimeOffset modTime, string etag, string? contentType, string? shownETag = null)
{
    /// <summary>Fixed-size chunks (below the large-object-heap threshold), the last one partly used.</summary>
    public const int ChunkSize = 64 * 1024;

    public IReadOnlyList<byte[]> Chunks { get; } = chunks;

    public long Length { get; } = length;

    public DateTimeOffset ModTime { get; } = modTime;

    public string ETag { get; } = etag;

    public string? ContentType { get; } = contentType;

    /// <summary>
    /// The ETag the frontend showed for this version (from the put's metadata: an S3 MD5 or multipart
    /// ETag), which a <see cref="Vfs.PutCondition.IfMatch"/> may name instead of <see cref="ETag"/>.
    /// </summary>
    public string? ShownETag { get; } = shownETag;

    public MemoryFile WithModTime(DateTimeOffset modTime) => new(Chunks, Length, modTime, ETag, ContentType, ShownETag);

    /// <summary>Whether <paramref name="etag"/> (quoted or not, or "*") names this version.</summary>
    public bool Matches(string etag)
    {
        var bare = etag.Trim().Trim('"');
        return bare == "*" ||
            string.Equals(ETag.Trim('"'), bare, StringComparison.OrdinalIgnoreCase) ||
            (ShownETag is { } shown && string.Equals(shown.Trim('"'), bare, StringComparison.OrdinalIgnoreCase));
    }
}
