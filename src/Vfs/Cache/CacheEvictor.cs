using Microsoft.Extensions.Logging;

namespace VfsGateway.Vfs.Cache;

/// <summary>
/// Eviction policy of the VFS cache (rclone's vfscache purge): every <see cref="VfsOptions.CachePollInterval"/>,
/// and at once when the cache disk is full, removes clean items least recently used first. It
/// decides what goes; the cache (<see cref="IEvictionTarget"/>) owns the items and removes them.
/// </summary>
internal sealed class CacheEvictor : IAsyncDisposable
{
    private readonly IEvictionTarget _cache;
    private readonly VfsOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _poller;

    public CacheEvictor(IEvictionTarget cache, VfsOptions options, ILogger logger, TimeProvider time)
    {
        _cache = cache;
        _options = options;
        _logger = logger;
        _time = time;
        _poller = Task.Run(() => RunPollerAsync(_stop.Token));
    }

    /// <summary>
    /// Removes clean items, least recently used first: those older than CacheMaxAge, then more
    /// until the cache is under CacheMaxSize; with <paramref name="forSpace"/> (the disk is full)
    /// every clean item it can. Dirty, uploading and open items are never evicted; neither is an
    /// item someone else holds locked right now (it is in use).
    /// </summary>
    public async ValueTask EvictAsync(bool forSpace)
    {
        var candidates = _cache.CleanItems();
        candidates.Sort((a, b) => a.LastAccess.CompareTo(b.LastAccess));
        var now = _time.GetUtcNow();
        foreach (var item in candidates)
        {
            var tooOld = now - item.LastAccess > _options.CacheMaxAge;
            var tooBig = _options.CacheMaxSize is { } max && _cache.Stats.CacheSize > max;
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
                _cache.Evict(item);
                CacheLog.EvictedItem(_logger, item.Path.Value, bytes, forSpace ? "cache disk full" : tooOld ? "older than --vfs-cache-max-age" : "over --vfs-cache-max-size");
            }
            finally
            {
                item.Lock.Release();
            }
        }
    }

    /// <summary>Stops the poller and waits for a running pass.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _poller.ConfigureAwait(false);
        _stop.Dispose();
    }

    /// <summary>Stops the poller without waiting (the process "dies").</summary>
    public void Abandon() => _stop.Cancel();

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
}
