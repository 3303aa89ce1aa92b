namespace VfsGateway.Backends.Memory;

/// <summary>A directory of the memory store; guarded by the owning backend's lock.</summary>
internal sealed class MemoryDirectory(DateTimeOffset modTime)
{
    /// <summary>Children by name: each a <see cref="MemoryDirectory"/> or a <see cref="MemoryFile"/>.</summary>
    public Dictionary<string, object> Children { get; } = new(StringComparer.Ordinal);

    public DateTimeOffset ModTime { get; set; } = modTime;
}
