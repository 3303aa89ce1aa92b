using System.Text;
using VfsGateway.Frontends.S3;
using VfsGateway.UnitTests.Frontends.Http.Metrics;

namespace VfsGateway.UnitTests.Frontends.S3;

public sealed class S3MetricsTests
{
    private static readonly byte[] Content = Encoding.ASCII.GetBytes("twenty bytes of data");

    [Fact]
    public async Task Metrics_CountRequestsErrorsAndBytesPerOperation()
    {
        await using var host = await S3TestHost.StartAsync(new S3Options { NoAuth = true, Prometheus = true });
        await S3RawClient.SendAsync(host, "PUT", "/bucket");
        await S3RawClient.SendAsync(host, "PUT", "/bucket/obj", Content);
        await S3RawClient.SendAsync(host, "GET", "/bucket/obj");
        await S3RawClient.SendAsync(host, "GET", "/bucket/obj", null, new() { ["Range"] = "bytes=0-4" });
        await S3RawClient.SendAsync(host, "HEAD", "/bucket/missing");
        await S3RawClient.SendAsync(host, "PATCH", "/bucket/obj");

        var scrape = await S3RawClient.SendAsync(host, "GET", S3Metrics.Path);
        var lines = scrape.Body.Split('\n');

        Assert.Equal(200, scrape.Status);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", scrape.Headers.ContentType.ToString());
        Assert.Empty(PrometheusFormat.Validate(scrape.Body));
        Assert.Contains("s3_requests_total{operation=\"CreateBucket\"} 1", lines);
        Assert.Contains("s3_requests_total{operation=\"PutObject\"} 1", lines);
        Assert.Contains("s3_requests_total{operation=\"GetObject\"} 2", lines);
        Assert.Contains("s3_requests_total{operation=\"HeadObject\"} 1", lines);
        Assert.Contains("s3_requests_total{operation=\"Unknown\"} 1", lines);
        Assert.Contains("s3_errors_total{operation=\"HeadObject\",code=\"NoSuchKey\"} 1", lines);
        Assert.Contains("s3_errors_total{operation=\"Unknown\",code=\"NotImplemented\"} 1", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("s3_errors_total{operation=\"GetObject\"", StringComparison.Ordinal));
        Assert.Contains($"s3_received_bytes_total{{operation=\"PutObject\"}} {Content.Length}", lines);
        Assert.Contains($"s3_sent_bytes_total{{operation=\"GetObject\"}} {Content.Length + 5}", lines);
        Assert.Contains("gateway_vfs_cache_dirty_items 0", lines);
        Assert.Contains("gateway_request_duration_seconds_count{frontend=\"s3\",operation=\"GetObject\"} 2", lines);
        Assert.Contains("gateway_request_duration_seconds_count{frontend=\"s3\",operation=\"Unknown\"} 1", lines);
        Assert.Contains("# TYPE process_resident_memory_bytes gauge", lines);
        Assert.DoesNotContain(lines, l => l.Contains("_gateway", StringComparison.Ordinal) && l.StartsWith("s3_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Metrics_BucketNamedMetrics_StillAnOrdinaryBucket()
    {
        await using var host = await S3TestHost.StartAsync(new S3Options { NoAuth = true, Prometheus = true });

        Assert.Equal(200, (await S3RawClient.SendAsync(host, "PUT", "/metrics")).Status);
        Assert.Equal(200, (await S3RawClient.SendAsync(host, "PUT", "/metrics/x", Content)).Status);
        var get = await S3RawClient.SendAsync(host, "GET", "/metrics/x");
        var list = await S3RawClient.SendAsync(host, "GET", "/metrics");

        Assert.Equal(Content, get.Bytes);
        Assert.Contains("<Key>x</Key>", list.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_Disabled_PathIsAnInvalidBucket()
    {
        await using var host = await S3TestHost.StartAsync(new S3Options { NoAuth = true });

        var scrape = await S3RawClient.SendAsync(host, "GET", S3Metrics.Path);

        Assert.Equal(400, scrape.Status);
        Assert.Contains("<Code>InvalidBucketName</Code>", scrape.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_VirtualHostRequest_IsAKeyNotTheScrape()
    {
        await using var host = await S3TestHost.StartAsync(new S3Options { NoAuth = true, Prometheus = true, ForcePathStyle = false, BaseDomain = "example.com" });
        await S3RawClient.SendAsync(host, "PUT", "/bucket");

        var put = await S3RawClient.SendAsync(host, "PUT", S3Metrics.Path, Content, new() { ["Host"] = "bucket.example.com" });
        var get = await S3RawClient.SendAsync(host, "GET", S3Metrics.Path, null, new() { ["Host"] = "bucket.example.com" });

        Assert.Equal(200, put.Status);
        Assert.Equal(Content, get.Bytes);
    }

    [Fact]
    public async Task Metrics_WithAuthKeys_NeedBasicAuthWithAKeyUnlessNoAuth()
    {
        var keys = new[] { new S3AccessKey(S3TestHost.AccessKey, S3TestHost.SecretKey) };
        await using var host = await S3TestHost.StartAsync(new S3Options { AuthKeys = keys, Prometheus = true });
        await using var open = await S3TestHost.StartAsync(new S3Options { AuthKeys = keys, Prometheus = true, PrometheusNoAuth = true });

        var anonymous = await S3RawClient.SendAsync(host, "GET", S3Metrics.Path);
        var wrong = await S3RawClient.SendAsync(host, "GET", S3Metrics.Path, null, new() { ["Authorization"] = Basic(S3TestHost.AccessKey, "not the secret") });
        var right = await S3RawClient.SendAsync(host, "GET", S3Metrics.Path, null, new() { ["Authorization"] = Basic(S3TestHost.AccessKey, S3TestHost.SecretKey) });
        var post = await S3RawClient.SendAsync(host, "POST", S3Metrics.Path, null, new() { ["Authorization"] = Basic(S3TestHost.AccessKey, S3TestHost.SecretKey) });
        var openAnonymous = await S3RawClient.SendAsync(open, "GET", S3Metrics.Path);

        Assert.Equal(401, anonymous.Status);
        Assert.Equal(401, wrong.Status);
        Assert.Equal(200, right.Status);
        Assert.Contains("s3_", right.Body, StringComparison.Ordinal);
        Assert.Equal(405, post.Status);
        Assert.Equal(200, openAnonymous.Status);
    }

    private static string Basic(string user, string password) =>
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));
}
