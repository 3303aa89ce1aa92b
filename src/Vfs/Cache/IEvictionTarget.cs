namespace VfsGateway.Vfs.Cache;

/// <summary>What <see cref="CacheEvictor"/> needs from the cache: the clean items, and removing one it holds the lock of.</summary>
internal interface IEvictionTarget
{
    VfsCacheStats Stats { get; }

    /// <summary>A snapshot of the items whose cached data matches the backend (candidates for eviction).</summary>
    List<CacheItem> CleanItems();

    /// <summary>Drops the cached data of <paramref name="item"/>; the caller holds its lock and checked that it is clean and unused.</summary>
    void Evict(CacheItem item);
}
