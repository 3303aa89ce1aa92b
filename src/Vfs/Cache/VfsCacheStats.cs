namespace VfsGateway.Vfs.Cache;

/// <summary>Live counters of the Vfs cache, for metrics. All zero in cache mode off.</summary>
public sealed class VfsCacheStats
{
    private long _dirtyItems;
    private long _bytesWaiting;
    private long _uploadsInProgress;
    private long _uploadFailures;
    private long _uploadsCompleted;
    private long _cacheSize;
    private long _hits;
    private long _misses;
    private long _evictions;

    /// <summary>Items written but not yet in the backend (queued, waiting for a retry, or uploading).</summary>
    public long DirtyItems => Interlocked.Read(ref _dirtyItems);

    /// <summary>Bytes of the dirty items.</summary>
    public long BytesWaiting => Interlocked.Read(ref _bytesWaiting);

    public long UploadsInProgress => Interlocked.Read(ref _uploadsInProgress);

    /// <summary>Failed upload attempts since start (each is retried).</summary>
    public long UploadFailures => Interlocked.Read(ref _uploadFailures);

    public long UploadsCompleted => Interlocked.Read(ref _uploadsCompleted);

    /// <summary>Bytes of data held in the cache directory (dirty and clean).</summary>
    public long CacheSize => Interlocked.Read(ref _cacheSize);

    /// <summary>Reads served wholly from the cache.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Reads that had to fetch data from the backend (mode full).</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>Clean items removed by eviction.</summary>
    public long Evictions => Interlocked.Read(ref _evictions);

    internal void AddDirty(long items, long bytes)
    {
        Interlocked.Add(ref _dirtyItems, items);
        Interlocked.Add(ref _bytesWaiting, bytes);
    }

    internal void AddUploading(long delta) => Interlocked.Add(ref _uploadsInProgress, delta);

    internal void UploadFailed() => Interlocked.Increment(ref _uploadFailures);

    internal void UploadCompleted() => Interlocked.Increment(ref _uploadsCompleted);

    internal void AddCacheSize(long delta) => Interlocked.Add(ref _cacheSize, delta);

    internal void Hit() => Interlocked.Increment(ref _hits);

    internal void Miss() => Interlocked.Increment(ref _misses);

    internal void Evicted() => Interlocked.Increment(ref _evictions);
}
