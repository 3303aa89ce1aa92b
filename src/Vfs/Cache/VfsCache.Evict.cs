namespace VfsGateway.Vfs.Cache;

internal sealed partial class VfsCache
{
    private readonly CancellationTokenSource _pollStop = new();
    private readonly Task _poller;

    private async Task RunPollerAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(_options.CachePollInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                try
                {
                    await EvictAsync(forSpace: false).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or VfsException)
                {
                    CacheLog.BackgroundError(_logger, "eviction", e.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// Removes clean items, least recently used first: those older than CacheMaxAge, then more
    /// until the cache is under CacheMaxSize; with <paramref name="forSpace"/> (the disk is full)
    /// every clean item it can. Dirty, uploading and open items are never evicted; neither is an
    /// item someone else holds locked right now (it is in use).
    /// </summary>
    internal async ValueTask EvictAsync(bool forSpace)
    {
        List<CacheItem> candidates;
        lock (_indexLock)
        {
            candidates = _items.Values.Where(i => i.Record is { IsDirty: false }).ToList();
        }

        candidates.Sort((a, b) => a.LastAccess.CompareTo(b.LastAccess));
        var now = _time.GetUtcNow();
        foreach (var item in candidates)
        {
            var tooOld = now - item.LastAccess > _options.CacheMaxAge;
            var tooBig = _options.CacheMaxSize is { } max && Stats.CacheSize > max;
            if (!forSpace && !tooOld && !tooBig)
            {
                continue;
            }

            if (!await item.Lock.WaitAsync(0).ConfigureAwait(false))
            {
                continue;
            }

            try
            {
                if (item.Removed || item.Record is not { IsDirty: false } || item.OpenCount > 0 || item.IsUploading)
                {
                    continue;
                }

                var bytes = item.CachedBytes;
                ClearItem(item);
                RemoveIfUnused(item);
                Stats.Evicted();
                CacheLog.EvictedItem(_logger, item.Path.Value, bytes, forSpace ? "cache disk full" : tooOld ? "older than --vfs-cache-max-age" : "over --vfs-cache-max-size");
            }
            finally
            {
                item.Lock.Release();
            }
        }
    }
}
