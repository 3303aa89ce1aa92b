using VfsGateway.Vfs.Metadata;

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
    /// <summary>
    /// The metadata the Vfs keeps for the object (docs/vfs.md "Object metadata"), asked for once the
    /// content has been read to its end, because hashes computed while streaming (an S3 ETag) are
    /// known only then; it runs before the write is acknowledged, and if it throws the write fails
    /// as if the content had. Null (the default) keeps a record only when <see cref="ContentType"/>
    /// or <see cref="Metadata"/> is set, so plain writes (restic) cost no extra request.
    /// </summary>
    public Func<CancellationToken, ValueTask<ObjectMetadata?>>? ObjectMetadataProvider { get; init; }

    /// <summary>
    /// Other HTTP headers to store with the object (Cache-Control, Content-Disposition, …: the names
    /// of <see cref="ObjectMetadata.Headers"/>), when the backend can store them; known before the
    /// content, so a backend that sends its metadata ahead of the bytes can send them too.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <summary>
    /// A precondition the backend checks atomically with the write; only ever set when the backend
    /// declares <see cref="BackendFeatures.ConditionalPut"/>.
    /// </summary>
    public PutCondition? Condition { get; init; }

    /// <summary>
    /// The SHA-256 the content has, when the caller knows it before the bytes (restic names its
    /// objects by it) and fails the content stream's last read itself when the bytes do not match.
    /// A backend that sends a checksum ahead of the content may send this one instead of hashing the
    /// content again (S3: x-amz-checksum-sha256, which the server checks too); null: not known.
    /// </summary>
    public byte[]? Sha256 { get; init; }

    /// <summary>
    /// The metadata this put asks to keep: the provider's answer (call it only once the content has
    /// been read to its end), else <see cref="ContentType"/>, <see cref="Headers"/> and <see cref="Metadata"/>; null when there
    /// is nothing to keep. Backends with native metadata call this before the object becomes visible.
    /// </summary>
    public async ValueTask<ObjectMetadata?> ResolveMetadataAsync(CancellationToken cancellationToken)
    {
        var metadata = ObjectMetadataProvider is { } provider
            ? await provider(cancellationToken).ConfigureAwait(false)
            : new ObjectMetadata
            {
                ContentType = ContentType,
                Headers = Headers ?? new Dictionary<string, string>(),
                UserMetadata = Metadata ?? new Dictionary<string, string>(),
            };
        return metadata is { IsEmpty: false } ? metadata : null;
    }

    public static PutOptions Default { get; } = new();
}
