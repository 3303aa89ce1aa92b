using System.Diagnostics;
using System.Text;
using VfsGateway.Frontends.Http.Metrics;
using VfsGateway.Vfs.Cache;

namespace VfsGateway.UnitTests.Frontends.Http.Metrics;

public sealed class GatewayMetricsTests
{
    [Fact]
    public async Task Collect_LiveCacheStats_WritesEveryFigureInValidFormat()
    {
        var stats = new VfsCacheStats();
        stats.AddDirty(3, 3000);
        stats.AddUploading(2);
        stats.UploadFailed();
        stats.UploadCompleted();
        stats.UploadCompleted();
        stats.AddCacheSize(12345);
        stats.Hit();
        stats.Miss();
        stats.Miss();
        var metrics = new GatewayMetrics("test", () => stats);

        var output = Encoding.UTF8.GetString(await metrics.CollectAsync(CancellationToken.None));
        var lines = output.Split('\n');

        Assert.Empty(PrometheusFormat.Validate(output));
        Assert.Contains("gateway_vfs_cache_dirty_items 3", lines);
        Assert.Contains("gateway_vfs_cache_bytes_waiting 3000", lines);
        Assert.Contains("gateway_vfs_cache_uploads_in_progress 2", lines);
        Assert.Contains("gateway_vfs_cache_upload_failures_total 1", lines);
        Assert.Contains("gateway_vfs_cache_uploads_completed_total 2", lines);
        Assert.Contains("gateway_vfs_cache_size_bytes 12345", lines);
        Assert.Contains("gateway_vfs_cache_hits_total 1", lines);
        Assert.Contains("gateway_vfs_cache_misses_total 2", lines);
        Assert.Contains("# TYPE gateway_vfs_cache_dirty_items gauge", lines);
        Assert.Contains("# TYPE gateway_vfs_cache_hits_total counter", lines);

        // Later figures replace earlier ones; counters follow the live totals.
        stats.Hit();
        stats.AddDirty(-3, -3000);
        var second = Encoding.UTF8.GetString(await metrics.CollectAsync(CancellationToken.None)).Split('\n');
        Assert.Contains("gateway_vfs_cache_hits_total 2", second);
        Assert.Contains("gateway_vfs_cache_dirty_items 0", second);
    }

    [Fact]
    public async Task Collect_HasProcessAndRuntimeFigures()
    {
        var metrics = new GatewayMetrics("test", () => new VfsCacheStats());

        var output = Encoding.UTF8.GetString(await metrics.CollectAsync(CancellationToken.None));
        var names = output.Split('\n').Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal)).Select(l => l.Split(' ')[2]).ToList();

        Assert.Empty(PrometheusFormat.Validate(output));
        Assert.Contains("process_cpu_seconds_total", names);
        Assert.Contains("process_resident_memory_bytes", names);
        Assert.Contains("process_start_time_seconds", names);
        Assert.Contains("dotnet_collection_count_total", names);
        Assert.Contains("dotnet_thread_pool_threads", names);
        Assert.Contains("dotnet_thread_pool_queue_length", names);
        Assert.Contains("dotnet_gc_pause_seconds_total", names);
        Assert.Contains("dotnet_gc_heap_size_bytes", names);
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task ObserveRequest_FillsTheDurationHistogramByFrontendAndOperation()
    {
        var metrics = new GatewayMetrics("s3", () => new VfsCacheStats());

        metrics.ObserveRequest("GetObject", Stopwatch.GetTimestamp());
        metrics.ObserveRequest("GetObject", Stopwatch.GetTimestamp());
        metrics.ObserveRequest("PutObject", Stopwatch.GetTimestamp() - Stopwatch.Frequency);
        var lines = Encoding.UTF8.GetString(await metrics.CollectAsync(CancellationToken.None)).Split('\n');

        Assert.Contains("# TYPE gateway_request_duration_seconds histogram", lines);
        Assert.Contains("gateway_request_duration_seconds_count{frontend=\"s3\",operation=\"GetObject\"} 2", lines);
        Assert.Contains("gateway_request_duration_seconds_count{frontend=\"s3\",operation=\"PutObject\"} 1", lines);
        Assert.Contains("gateway_request_duration_seconds_bucket{frontend=\"s3\",operation=\"PutObject\",le=\"0.512\"} 0", lines);
        Assert.Contains("gateway_request_duration_seconds_bucket{frontend=\"s3\",operation=\"PutObject\",le=\"+Inf\"} 1", lines);
    }
}
