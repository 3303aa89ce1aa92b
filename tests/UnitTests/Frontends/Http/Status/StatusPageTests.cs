using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using VfsGateway.Frontends.Http.Metrics;
using VfsGateway.Frontends.Http.Status;
using VfsGateway.UnitTests.Frontends.Http.Auth;
using VfsGateway.Vfs.Cache;

namespace VfsGateway.UnitTests.Frontends.Http.Status;

public sealed class StatusPageTests
{
    private static readonly StatusPageInfo Info = new("local", "/srv/data", "local:/srv/data", "1.2.3");

    [Fact]
    public void Parse_LabelsWithEscapesAndSpecialValues_ReadsEverySample()
    {
        var samples = MetricsText.Parse(
            "# HELP x help\n# TYPE x counter\nx{a=\"q\\\"uote\",b=\"back\\\\slash\"} 3\nplain 1.5e3\nbucket{le=\"+Inf\"} 7 1700000000\nnan NaN\n");

        Assert.Equal(4, samples.Count);
        Assert.Equal("q\"uote", samples[0].Label("a"));
        Assert.Equal("back\\slash", samples[0].Label("b"));
        Assert.Equal(1500, samples[1].Value);
        Assert.Equal("+Inf", samples[2].Label("le"));
        Assert.Equal(7, samples[2].Value);
        Assert.True(double.IsNaN(samples[3].Value));
    }

    [Fact]
    public async Task Json_AfterTraffic_ShowsRegistryFiguresAndRatesOverTheWindow()
    {
        var time = new FakeTimeProvider();
        var stats = new VfsCacheStats();
        stats.AddDirty(2, 2048);
        stats.AddCacheSize(4096);
        var metrics = new GatewayMetrics("s3", () => stats);
        var received = metrics.Factory.CreateCounter("s3_received_bytes_total", "in", ["operation"]);
        var page = new StatusPage(metrics, Info, new StatusFrontend("s3", "S3", "s3_received_bytes_total", "s3_sent_bytes_total"), "writes", time);
        for (var i = 0; i < 4; i++)
        {
            metrics.ObserveRequest("PutObject", Stopwatch.GetTimestamp());
        }

        received.WithLabels("PutObject").Inc(4000);
        time.Advance(TimeSpan.FromSeconds(2));

        using var first = JsonDocument.Parse(await page.JsonAsync(CancellationToken.None));
        var root = first.RootElement;
        Assert.Equal("local", root.GetProperty("backend").GetProperty("type").GetString());
        Assert.Equal("/srv/data", root.GetProperty("backend").GetProperty("root").GetString());
        Assert.Equal("writes", root.GetProperty("cacheMode").GetString());
        Assert.Equal(4, root.GetProperty("requests").GetProperty("total").GetDouble());
        Assert.Equal(2, root.GetProperty("requests").GetProperty("perSecond").GetDouble(), 3);
        Assert.Equal("PutObject", root.GetProperty("requests").GetProperty("operations")[0].GetProperty("operation").GetString());
        Assert.Equal(4000, root.GetProperty("throughput").GetProperty("bytesIn").GetDouble());
        Assert.Equal(2000, root.GetProperty("throughput").GetProperty("bytesInPerSecond").GetDouble(), 3);
        Assert.Equal(2, root.GetProperty("cache").GetProperty("dirtyItems").GetDouble());
        Assert.Equal(2048, root.GetProperty("cache").GetProperty("bytesWaiting").GetDouble());
        Assert.Equal(4096, root.GetProperty("cache").GetProperty("sizeBytes").GetDouble());
        Assert.Equal(0, root.GetProperty("repositories").GetArrayLength());

        // Quiet for a whole window: the rates fall to zero, the totals stay.
        time.Advance(RateWindow.Window + TimeSpan.FromSeconds(1));
        await page.JsonAsync(CancellationToken.None);
        time.Advance(RateWindow.Window + TimeSpan.FromSeconds(1));
        using var later = JsonDocument.Parse(await page.JsonAsync(CancellationToken.None));
        Assert.Equal(0, later.RootElement.GetProperty("requests").GetProperty("perSecond").GetDouble());
        Assert.Equal(4, later.RootElement.GetProperty("requests").GetProperty("total").GetDouble());
    }

    [Fact]
    public void RecentErrors_KeepsFailuresOtherThan404WithoutQuery_NewestFirstAndBounded()
    {
        var errors = new RecentErrors(3, new FakeTimeProvider());
        errors.Record(Context("GET", "/repo/config", "", 401));
        errors.Record(Context("GET", "/bucket/missing", "", 404));
        errors.Record(Context("GET", "/bucket/ok", "", 200));
        errors.Record(Context("PUT", "/bucket/a", "?X-Amz-Signature=secret", 403));
        errors.Record(Context("POST", "/repo/data/b", "", 500));
        errors.Record(Context("DELETE", "/repo/keys/c", "", 507));

        var list = errors.Snapshot();

        Assert.Equal([("DELETE", 507), ("POST", 500), ("PUT", 403)], list.Select(e => (e.Method, e.Status)));
        Assert.Equal("/bucket/a", list[2].Path);
        Assert.DoesNotContain(list, e => e.Path.Contains("secret", StringComparison.Ordinal));
    }

    private static DefaultHttpContext Context(string method, string path, string query, int status)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query.Length == 0 ? null : query);
        context.Response.StatusCode = status;
        return context;
    }
}
