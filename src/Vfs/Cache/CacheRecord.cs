using VfsGateway.Vfs.Metadata;

namespace VfsGateway.Vfs.Cache;

/// <summary>
/// The per-item metadata record, one JSON file next to the item's data file. It is the commit
/// point of a cached write: a data file that no record names is garbage (a crash before the write
/// was acknowledged) and is deleted at start, never uploaded.
/// </summary>
internal sealed record CacheRecord
{
    public const string DirtyState = "dirty";
    public const string CleanState = "clean";

    public required string Path { get; init; }

    public required long Size { get; init; }

    public required DateTimeOffset ModTime { get; init; }

    public string? ContentType { get; init; }

    public Dictionary<string, string>? Metadata { get; init; }

    /// <summary>Dirty items: the object metadata to store once the upload lands (docs/vfs.md "Object metadata").</summary>
    public MetadataRecord? Object { get; init; }

    /// <summary>"dirty": not yet in the backend, must be uploaded; "clean": a copy of the backend's object.</summary>
    public required string State { get; init; }

    /// <summary>Which data file ("{key}.{generation}.data") holds the bytes.</summary>
    public required long Generation { get; init; }

    /// <summary>Hex SHA-256 of the whole content of a dirty item, checked again while uploading.</summary>
    public string? Sha256 { get; init; }

    /// <summary>Clean items: the backend object's ETag when the copy was made (a change invalidates the copy).</summary>
    public string? RemoteETag { get; init; }

    /// <summary>Clean items: the backend object's modification time when the copy was made.</summary>
    public DateTimeOffset? RemoteModTime { get; init; }

    /// <summary>Clean items: the byte ranges present in the sparse data file, as [start, end) pairs.</summary>
    public List<long[]>? Ranges { get; init; }

    /// <summary>Last read or write, for eviction by age and least-recent use across restarts.</summary>
    public DateTimeOffset LastAccess { get; init; }

    public bool IsDirty => State == DirtyState;
}
