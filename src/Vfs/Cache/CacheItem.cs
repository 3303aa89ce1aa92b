namespace VfsGateway.Vfs.Cache;

/// <summary>
/// The in-memory state of one cached path. Every field is guarded by <see cref="Lock"/>; an item
/// whose <see cref="Removed"/> is set has left the index and must be looked up again.
/// </summary>
internal sealed class CacheItem(VfsPath path, string key)
{
    public VfsPath Path { get; } = path;

    public string Key { get; } = key;

    public SemaphoreSlim Lock { get; } = new(1, 1);

    public bool Removed { get; set; }

    /// <summary>The committed record; null when nothing is cached for the path.</summary>
    public CacheRecord? Record { get; set; }

    public CacheData? Data { get; set; }

    public int OpenCount { get; set; }

    public DateTimeOffset LastAccess { get; set; }

    /// <summary>Cancels the running upload (a newer write or a delete supersedes it).</summary>
    public CancellationTokenSource? UploadCancel { get; set; }

    /// <summary>Completes when the running upload has finished its bookkeeping.</summary>
    public Task? UploadDone { get; set; }

    public int ConsecutiveFailures { get; set; }

    public bool IsDirty => Record is { IsDirty: true };

    public bool IsUploading => UploadDone is { IsCompleted: false };

    /// <summary>Bytes this item occupies in the cache.</summary>
    public long CachedBytes => Data?.Ranges.Covered ?? 0;
}
