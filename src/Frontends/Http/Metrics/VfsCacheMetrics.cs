using Prometheus;
using VfsGateway.Vfs.Cache;

namespace VfsGateway.Frontends.Http.Metrics;

/// <summary>
/// The Vfs cache's live figures, the same in every frontend's scrape so one dashboard covers all
/// of them; read from <see cref="VfsCacheStats"/> just before each scrape. All zero in cache mode off.
/// </summary>
internal static class VfsCacheMetrics
{
    public static void Register(CollectorRegistry registry, IMetricFactory factory, Func<VfsCacheStats> cacheStats)
    {
        var bytesWaiting = factory.CreateGauge("gateway_vfs_cache_bytes_waiting", "Bytes written to the cache and not yet uploaded");
        var dirtyItems = factory.CreateGauge("gateway_vfs_cache_dirty_items", "Files written to the cache and not yet uploaded");
        var hits = factory.CreateCounter("gateway_vfs_cache_hits_total", "Reads served wholly from the cache");
        var misses = factory.CreateCounter("gateway_vfs_cache_misses_total", "Reads that fetched data from the backend");
        var size = factory.CreateGauge("gateway_vfs_cache_size_bytes", "Bytes of data held in the cache directory");
        var failures = factory.CreateCounter("gateway_vfs_cache_upload_failures_total", "Failed upload attempts (each is retried)");
        var completed = factory.CreateCounter("gateway_vfs_cache_uploads_completed_total", "Uploads from the cache that reached the backend");
        var inProgress = factory.CreateGauge("gateway_vfs_cache_uploads_in_progress", "Uploads from the cache running now");
        registry.AddBeforeCollectCallback(() =>
        {
            var stats = cacheStats();
            bytesWaiting.Set(stats.BytesWaiting);
            dirtyItems.Set(stats.DirtyItems);
            hits.IncTo(stats.Hits);
            misses.IncTo(stats.Misses);
            size.Set(stats.CacheSize);
            failures.IncTo(stats.UploadFailures);
            completed.IncTo(stats.UploadsCompleted);
            inProgress.Set(stats.UploadsInProgress);
        });
    }
}
