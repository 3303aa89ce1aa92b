using System.Collections.Concurrent;
using VfsGateway.Vfs;

namespace VfsGateway.Frontends.S3;

/// <summary>
/// A read-through cache of ETags for listings, so a page of 1000 keys does not read 1000 metadata
/// records every time. Never the source of truth: the Vfs metadata store is (it survives restarts
/// and is shared by every instance); an entry is used only while the listed object still has the
/// exact size, modification time and backend tag it was cached for, and HEAD/GET always read the
/// store. Bounded; cleared when full.
/// </summary>
internal sealed class ETagCache
{
    private const int Capacity = 100_000;
    private readonly ConcurrentDictionary<VfsPath, (long Size, long ModTicks, string? BackendETag, string ETag, string? StorageClass)> _items = new();

    /// <summary>Caches the ETag (and the storage class, null for STANDARD, which listings show too) of this version.</summary>
    public void Set(Entry entry, string etag, string? storageClass)
    {
        if (_items.Count >= Capacity)
        {
            _items.Clear();
        }

        _items[entry.Path] = (entry.Size, entry.ModTime.UtcTicks, entry.ETag, etag, storageClass);
    }

    public (string ETag, string? StorageClass)? Get(Entry entry) =>
        _items.TryGetValue(entry.Path, out var m) && m.Size == entry.Size && m.ModTicks == entry.ModTime.UtcTicks && m.BackendETag == entry.ETag ? (m.ETag, m.StorageClass) : null;
}
