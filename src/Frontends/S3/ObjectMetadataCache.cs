using System.Collections.Concurrent;
using VfsGateway.Vfs;

namespace VfsGateway.Frontends.S3;

/// <summary>
/// A stopgap until the Vfs has a metadata store that survives restarts (ARCHITECTURE "Metadata that
/// a backend cannot store natively"): remembers the MD5 ETag, content type, x-amz-meta-* and the
/// other stored headers of objects written through this process, valid only while the backend
/// still reports the same size and modification time. Bounded; lost on restart.
/// </summary>
internal sealed class ObjectMetadataCache
{
    private const int Capacity = 100_000;
    private readonly ConcurrentDictionary<VfsPath, ObjectMetadata> _items = new();

    public void Set(VfsPath path, ObjectMetadata metadata)
    {
        if (_items.Count >= Capacity)
        {
            _items.Clear();
        }

        _items[path] = metadata;
    }

    public ObjectMetadata? Get(VfsPath path, Entry entry) =>
        _items.TryGetValue(path, out var m) && m.Size == entry.Size && m.ModTime == entry.ModTime ? m : null;

    public void Remove(VfsPath path) => _items.TryRemove(path, out _);
}
