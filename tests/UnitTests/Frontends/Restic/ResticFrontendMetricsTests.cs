using System.Net;
using VfsGateway.Frontends.Restic;
using VfsGateway.UnitTests.Frontends.Http.Auth;
using VfsGateway.UnitTests.Frontends.Http.Metrics;

namespace VfsGateway.UnitTests.Frontends.Restic;

public sealed class ResticFrontendMetricsTests : IDisposable
{
    private readonly TempDir _dir = new();

    [Fact]
    public async Task Metrics_CountReadsWritesAndDeletesLikeRestServer()
    {
        await using var host = await ResticTestHost.StartAsync(new ResticOptions { NoAuth = true, Prometheus = true });
        var a = await host.UploadAsync("/team/repo", "data", ResticTestHost.RandomBytes(100));
        await host.UploadAsync("/team/repo", "data", ResticTestHost.RandomBytes(50));
        var key = await host.UploadAsync("/team/repo", "keys", ResticTestHost.RandomBytes(7));
        using (var config = await host.SendAsync(HttpMethod.Post, "/team/repo/config", [1, 2, 3]))
        using (var read = await host.SendAsync(HttpMethod.Get, $"/team/repo/data/{a}", configure: r => r.Headers.TryAddWithoutValidation("Range", "bytes=10-29")))
        using (var readKey = await host.SendAsync(HttpMethod.Get, $"/team/repo/keys/{key}"))
        using (var delete = await host.SendAsync(HttpMethod.Delete, $"/team/repo/data/{a}"))
        {
            Assert.Equal(HttpStatusCode.PartialContent, read.StatusCode);
        }

        using var response = await host.SendAsync(HttpMethod.Get, "/metrics");
        var text = await response.Content.ReadAsStringAsync();
        var lines = text.Split('\n');

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Empty(PrometheusFormat.Validate(text));
        Assert.Contains("rest_server_blob_write_total{user=\"\",repo=\"team/repo\",type=\"data\"} 2", lines);
        Assert.Contains("rest_server_blob_write_bytes_total{user=\"\",repo=\"team/repo\",type=\"data\"} 150", lines);
        Assert.Contains("rest_server_blob_write_total{user=\"\",repo=\"team/repo\",type=\"keys\"} 1", lines);
        Assert.Contains("rest_server_blob_read_total{user=\"\",repo=\"team/repo\",type=\"data\"} 1", lines);
        Assert.Contains("rest_server_blob_read_bytes_total{user=\"\",repo=\"team/repo\",type=\"data\"} 20", lines);
        Assert.Contains("rest_server_blob_read_bytes_total{user=\"\",repo=\"team/repo\",type=\"keys\"} 7", lines);
        Assert.Contains("rest_server_blob_delete_total{user=\"\",repo=\"team/repo\",type=\"data\"} 1", lines);
        Assert.Contains("rest_server_blob_delete_bytes_total{user=\"\",repo=\"team/repo\",type=\"data\"} 100", lines);
        Assert.Contains("# TYPE rest_server_blob_write_total counter", lines);
        Assert.DoesNotContain(lines, l => l.Contains("type=\"config\"", StringComparison.Ordinal));
        Assert.Contains("gateway_vfs_cache_dirty_items 0", lines);
        Assert.Contains("# TYPE gateway_vfs_cache_uploads_in_progress gauge", lines);
        Assert.Contains("gateway_request_duration_seconds_count{frontend=\"restic\",operation=\"SaveObject\"} 4", lines);
        Assert.Contains("gateway_request_duration_seconds_count{frontend=\"restic\",operation=\"GetObject\"} 2", lines);
        Assert.Contains("gateway_request_duration_seconds_count{frontend=\"restic\",operation=\"DeleteObject\"} 1", lines);
        Assert.Contains("# TYPE process_cpu_seconds_total counter", lines);
    }

    [Fact]
    public async Task Metrics_RepositoryNameWithQuote_IsEscaped()
    {
        await using var host = await ResticTestHost.StartAsync(new ResticOptions { NoAuth = true, Prometheus = true });
        await host.UploadAsync("/we%22ird", "keys", ResticTestHost.RandomBytes(3));

        using var response = await host.SendAsync(HttpMethod.Get, "/metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Contains("rest_server_blob_write_total{user=\"\",repo=\"we\\\"ird\",type=\"keys\"} 1\n", text, StringComparison.Ordinal);
        Assert.Empty(PrometheusFormat.Validate(text));
    }

    [Fact]
    public async Task Metrics_Disabled_Returns404()
    {
        await using var host = await ResticTestHost.StartAsync(new ResticOptions { NoAuth = true });

        using var response = await host.SendAsync(HttpMethod.Get, "/metrics");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Metrics_NeedAuthUnlessPrometheusNoAuth()
    {
        await using var host = await StartWithUsersAsync(new ResticOptions { Prometheus = true });
        await using var open = await StartWithUsersAsync(new ResticOptions { Prometheus = true, PrometheusNoAuth = true });

        using var anonymous = await host.SendAsync(HttpMethod.Get, "/metrics");
        using var alice = await host.SendAsync(HttpMethod.Get, "/metrics", null, r => r.Headers.Authorization = ResticTestHost.Basic("alice", "alice pw"));
        using var openAnonymous = await open.SendAsync(HttpMethod.Get, "/metrics");
        using var post = await open.SendAsync(HttpMethod.Post, "/metrics");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, alice.StatusCode);
        Assert.Equal(HttpStatusCode.OK, openAnonymous.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
    }

    [Fact]
    public async Task Metrics_WithPrivateRepos_OnlyForTheMetricsUser()
    {
        await using var host = await StartWithUsersAsync(new ResticOptions { Prometheus = true, PrivateRepos = true });
        await host.UploadAsync("/alice", "keys", ResticTestHost.RandomBytes(3), HttpStatusCode.Unauthorized);
        using (var upload = await host.SendAsync(HttpMethod.Post, $"/alice/keys/{ResticTestHost.Sha256Hex([4])}", [4], r => r.Headers.Authorization = ResticTestHost.Basic("alice", "alice pw")))
        {
            Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        }

        using var alice = await host.SendAsync(HttpMethod.Get, "/metrics", null, r => r.Headers.Authorization = ResticTestHost.Basic("alice", "alice pw"));
        using var metrics = await host.SendAsync(HttpMethod.Get, "/metrics", null, r => r.Headers.Authorization = ResticTestHost.Basic("metrics", "metrics pw"));

        Assert.Equal(HttpStatusCode.Unauthorized, alice.StatusCode);
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Contains("rest_server_blob_write_total{user=\"alice\",repo=\"alice\",type=\"keys\"} 1\n", await metrics.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();

    private Task<ResticTestHost> StartWithUsersAsync(ResticOptions options)
    {
        var file = _dir.Sub(Guid.NewGuid().ToString("N"));
        File.WriteAllText(
            file,
            "alice:$2y$04$yxeycg670rTCgmeLXlDufuSWptqO66tw1.g.wk/VgJ94D/bDWRSaO\n" +
            "metrics:$2y$04$vUaEm.aLcIVFWV/j.GFsGuJ0gqLhAocM3umoxHSWAfVSASLjps8dO\n");
        return ResticTestHost.StartAsync(options with { HtpasswdFile = file });
    }
}
