using System.Globalization;
using VfsGateway.Frontends.Http.Metrics;
using VfsGateway.Vfs.Cache;

namespace VfsGateway.UnitTests.Frontends.Http.Metrics;

public sealed class VfsCacheMetricsTests
{
    [Fact]
    public void WriteTo_LiveStats_WritesEveryFigureInValidFormatAndNameOrder()
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
        using var text = new StringWriter(CultureInfo.InvariantCulture);

        VfsCacheMetrics.WriteTo(new PrometheusTextWriter(text), stats);
        var output = text.ToString();
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
        var names = lines.Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal)).Select(l => l.Split(' ')[2]).ToList();
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
    }
}
