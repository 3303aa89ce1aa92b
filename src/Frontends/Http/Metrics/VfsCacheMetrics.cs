using VfsGateway.Vfs.Cache;

namespace VfsGateway.Frontends.Http.Metrics;

/// <summary>
/// The Vfs cache's live figures as Prometheus families, the same in every frontend's scrape so one
/// dashboard covers all of them. All zero in cache mode off. Written in name order.
/// </summary>
internal static class VfsCacheMetrics
{
    public static void WriteTo(PrometheusTextWriter writer, VfsCacheStats stats)
    {
        Write(writer, "gateway_vfs_cache_bytes_waiting", "gauge", "Bytes written to the cache and not yet uploaded", stats.BytesWaiting);
        Write(writer, "gateway_vfs_cache_dirty_items", "gauge", "Files written to the cache and not yet uploaded", stats.DirtyItems);
        Write(writer, "gateway_vfs_cache_hits_total", "counter", "Reads served wholly from the cache", stats.Hits);
        Write(writer, "gateway_vfs_cache_misses_total", "counter", "Reads that fetched data from the backend", stats.Misses);
        Write(writer, "gateway_vfs_cache_size_bytes", "gauge", "Bytes of data held in the cache directory", stats.CacheSize);
        Write(writer, "gateway_vfs_cache_upload_failures_total", "counter", "Failed upload attempts (each is retried)", stats.UploadFailures);
        Write(writer, "gateway_vfs_cache_uploads_completed_total", "counter", "Uploads from the cache that reached the backend", stats.UploadsCompleted);
        Write(writer, "gateway_vfs_cache_uploads_in_progress", "gauge", "Uploads from the cache running now", stats.UploadsInProgress);
    }

    private static void Write(PrometheusTextWriter writer, string name, string type, string help, long value)
    {
        writer.WriteFamily(name, type, help);
        writer.WriteSample(name, [], [], value);
    }
}
