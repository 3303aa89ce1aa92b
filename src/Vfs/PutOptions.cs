namespace VfsGateway.Vfs;

/// <summary>What a put knows besides the bytes.</summary>
/// <param name="Length">The content length when known; null means "read to the end of the stream".</param>
/// <param name="ModTime">The modification time to record, when the backend can set one.</param>
/// <param name="ContentType">The content type to store, when the backend can store one.</param>
/// <param name="Metadata">User metadata (x-amz-meta-* style), when the backend can store it.</param>
public sealed record PutOptions(
    long? Length = null,
    DateTimeOffset? ModTime = null,
    string? ContentType = null,
    IReadOnlyDictionary<string, string>? Metadata = null)
{
    public static PutOptions Default { get; } = new();
}
