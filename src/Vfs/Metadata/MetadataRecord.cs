namespace VfsGateway.Vfs.Metadata;

/// <summary>
/// The JSON form of <see cref="ObjectMetadata"/>: the sidecar record in the backend (with the
/// identity of the object version it describes) and the copy a cached write carries until it is
/// uploaded (without identity: the version does not exist in the backend yet).
/// </summary>
internal sealed record MetadataRecord
{
    public const int CurrentVersion = 1;

    public int Version { get; init; } = CurrentVersion;

    /// <summary>Identity: the object's size when the record was written.</summary>
    public long? Size { get; init; }

    /// <summary>Identity: the object's modification time in UTC ticks (exact, unlike a formatted date).</summary>
    public long? ModTimeTicks { get; init; }

    /// <summary>Identity: the backend's own tag of the object, when it has one.</summary>
    public string? BackendETag { get; init; }

    public string? ContentType { get; init; }

    public Dictionary<string, string>? Headers { get; init; }

    public Dictionary<string, string>? UserMetadata { get; init; }

    public string? ETag { get; init; }

    public Dictionary<string, string>? Checksums { get; init; }

    public string? StorageClass { get; init; }

    public Dictionary<string, string>? Tags { get; init; }

    public static MetadataRecord From(ObjectMetadata metadata, Entry? version = null) => new()
    {
        Size = version?.Size,
        ModTimeTicks = version?.ModTime.UtcTicks,
        BackendETag = version?.ETag,
        ContentType = metadata.ContentType,
        Headers = Copy(metadata.Headers),
        UserMetadata = Copy(metadata.UserMetadata),
        ETag = metadata.ETag,
        Checksums = Copy(metadata.Checksums),
        StorageClass = metadata.StorageClass,
        Tags = Copy(metadata.Tags),
    };

    public ObjectMetadata ToMetadata() => new()
    {
        ContentType = ContentType,
        Headers = Headers ?? [],
        UserMetadata = UserMetadata ?? [],
        ETag = ETag,
        Checksums = Checksums ?? [],
        StorageClass = StorageClass,
        Tags = Tags ?? [],
    };

    /// <summary>
    /// Whether this record was written for <paramref name="file"/>: same size, same modification
    /// time and, when both sides have one, the same backend tag. Anything else means the object
    /// was replaced (by another writer, or a crash fell between the object and its record).
    /// </summary>
    public bool Describes(Entry file) =>
        Version == CurrentVersion &&
        Size == file.Size &&
        ModTimeTicks == file.ModTime.UtcTicks &&
        (BackendETag is null || file.ETag is null || string.Equals(BackendETag, file.ETag, StringComparison.Ordinal));

    private static Dictionary<string, string>? Copy(IReadOnlyDictionary<string, string> source) =>
        source.Count == 0 ? null : new Dictionary<string, string>(source, StringComparer.Ordinal);
}
