using System.Globalization;
using System.Net;
using VfsGateway.Backends.Memory;
using VfsGateway.Frontends.Restic;
using VfsGateway.UnitTests.Frontends.Http.Metrics;
using VfsGateway.Vfs;

namespace VfsGateway.UnitTests.Frontends.Restic;

/// <summary>rest_server_repo_* gauges: measured once per repository, then kept up to date by uploads and deletes.</summary>
public sealed class ResticFrontendRepoMetricsTests
{
    [Fact]
    public async Task RepoMetrics_FollowUploadsAndDeletes()
    {
        await using var host = await ResticTestHost.StartAsync(new ResticOptions { NoAuth = true, Prometheus = true });
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var a = await host.UploadAsync("/team/repo", "data", ResticTestHost.RandomBytes(100));
        await host.UploadAsync("/team/repo", "data", ResticTestHost.RandomBytes(50));
        var afterData = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1;
        var (_, noSnapshot) = await ScrapeAsync(host);
        await host.UploadAsync("/team/repo", "snapshots", ResticTestHost.RandomBytes(10));
        using (var config = await host.SendAsync(HttpMethod.Post, "/team/repo/config", [1, 2, 3]))
        {
            Assert.Equal(HttpStatusCode.OK, config.StatusCode);
        }

        await host.UploadAsync("/team/repo", "data", ResticTestHost.RandomBytes(50));
        await host.UploadAsync("/team/repo", "data", ResticTestHost.RandomBytes(100));
        var after = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1;
        var (text, full) = await ScrapeAsync(host);

        Assert.Equal(150, noSnapshot["rest_server_repo_size_bytes{repo=\"team/repo\"}"]);
        Assert.InRange(noSnapshot["rest_server_repo_last_write_timestamp_seconds{repo=\"team/repo\"}"], before, afterData);
        Assert.False(noSnapshot.ContainsKey("rest_server_repo_last_snapshot_timestamp_seconds{repo=\"team/repo\"}"));
        Assert.Equal(100 + 50 + 10 + 3 + 50 + 100, full["rest_server_repo_size_bytes{repo=\"team/repo\"}"]);
        Assert.InRange(full["rest_server_repo_last_snapshot_timestamp_seconds{repo=\"team/repo\"}"], before, after);
        Assert.InRange(full["rest_server_repo_last_write_timestamp_seconds{repo=\"team/repo\"}"], before, after);
        Assert.Contains("# TYPE rest_server_repo_size_bytes gauge", text.Split('\n'));
        Assert.Empty(PrometheusFormat.Validate(text));

        // A delete gives back its size; deleting it again (restic retries) changes nothing.
        using (var delete = await host.SendAsync(HttpMethod.Delete, $"/team/repo/data/{a}"))
        using (var again = await host.SendAsync(HttpMethod.Delete, $"/team/repo/data/{a}"))
        {
            Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }

        var (_, deleted) = await ScrapeAsync(host);
        Assert.Equal(213, deleted["rest_server_repo_size_bytes{repo=\"team/repo\"}"]);
    }

    [Fact]
    public async Task RepoMetrics_IdenticalReupload_DoesNotGrow()
    {
        await using var host = await ResticTestHost.StartAsync(new ResticOptions { NoAuth = true, Prometheus = true });
        var content = ResticTestHost.RandomBytes(64);
        await host.UploadAsync("/repo", "index", content);
        await host.UploadAsync("/repo", "index", content);

        var (_, values) = await ScrapeAsync(host);

        Assert.Equal(64, values["rest_server_repo_size_bytes{repo=\"repo\"}"]);
    }

    [Fact]
    public async Task RepoMetrics_ExistingRepository_MeasuredOnFirstTouchAndNotBefore()
    {
        await using var host = await ResticTestHost.StartAsync(new ResticOptions { NoAuth = true, Prometheus = true });
        var snapshot = ResticTestHost.RandomBytes(20);
        await PutDirectAsync(host, "old/config", new byte[7]);
        await PutDirectAsync(host, $"old/snapshots/{ResticTestHost.Sha256Hex(snapshot)}", snapshot);
        await PutDirectAsync(host, "old/data/ab/" + new string('a', 64), new byte[1000]);

        // A nested repository is its own: not counted in "old".
        await PutDirectAsync(host, "old/nested/keys/" + new string('b', 64), new byte[5000]);
        var snapshotTime = (await host.Vfs.StatAsync(VfsPath.Parse($"old/snapshots/{ResticTestHost.Sha256Hex(snapshot)}"), CancellationToken.None)).ModTime.ToUnixTimeSeconds();

        var (untouched, _) = await ScrapeAsync(host);
        await host.UploadAsync("/old", "keys", ResticTestHost.RandomBytes(30));
        var (_, values) = await ScrapeAsync(host);

        Assert.DoesNotContain("rest_server_repo_size_bytes{", untouched, StringComparison.Ordinal);
        Assert.Equal(7 + 20 + 1000 + 30, values["rest_server_repo_size_bytes{repo=\"old\"}"]);
        Assert.InRange(values["rest_server_repo_last_snapshot_timestamp_seconds{repo=\"old\"}"], snapshotTime, snapshotTime + 1);
        Assert.False(values.ContainsKey("rest_server_repo_size_bytes{repo=\"old/nested\"}"));
    }

    [Fact]
    public async Task RepoMetrics_WithMaxSize_SeededFromTheStartupScan()
    {
        var backend = new MemoryBackend(new MemoryOptions(VfsPath.Root));
        var snapshot = ResticTestHost.RandomBytes(20);
        await PutBackendAsync(backend, "a/config", new byte[7]);
        await PutBackendAsync(backend, $"a/snapshots/{ResticTestHost.Sha256Hex(snapshot)}", snapshot);
        await PutBackendAsync(backend, "a/data/ab/" + new string('a', 64), new byte[1000]);
        await PutBackendAsync(backend, "a/b/keys/" + new string('b', 64), new byte[300]);
        await PutBackendAsync(backend, "config", new byte[2]);
        await PutBackendAsync(backend, "notes.txt", new byte[50]);
        await using var host = await ResticTestHost.StartAsync(new ResticOptions { NoAuth = true, Prometheus = true, MaxSize = 1_000_000 }, backend);

        var (seeded, values) = await ScrapeAsync(host);
        await host.UploadAsync("/a", "keys", ResticTestHost.RandomBytes(30));
        var (_, after) = await ScrapeAsync(host);

        Assert.Equal(1027, values["rest_server_repo_size_bytes{repo=\"a\"}"]);
        Assert.Equal(300, values["rest_server_repo_size_bytes{repo=\"a/b\"}"]);
        Assert.Equal(2, values["rest_server_repo_size_bytes{repo=\"\"}"]);
        Assert.True(values.ContainsKey("rest_server_repo_last_snapshot_timestamp_seconds{repo=\"a\"}"));
        Assert.False(values.ContainsKey("rest_server_repo_last_snapshot_timestamp_seconds{repo=\"a/b\"}"));
        Assert.Empty(PrometheusFormat.Validate(seeded));
        Assert.Equal(1057, after["rest_server_repo_size_bytes{repo=\"a\"}"]);
    }

    [Fact]
    public async Task RepoMetrics_ParallelUploadsOfOneName_CountItOnce()
    {
        await using var host = await ResticTestHost.StartAsync(new ResticOptions { NoAuth = true, Prometheus = true });
        var content = ResticTestHost.RandomBytes(100);
        var path = $"/repo/keys/{ResticTestHost.Sha256Hex(content)}";
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slow = new GatedStream(content, gate.Task);

        // The first upload has looked (nothing there) and is streaming when the retry starts and finishes.
        var first = host.SendBodyAsync("POST", path, slow, content.Length);
        for (var i = 0; slow.Position == 0 && i < 2000; i++)
        {
            await Task.Delay(5);
        }

        var retry = await host.SendBodyAsync("POST", path, new MemoryStream(content), content.Length);
        gate.SetResult();
        var done = await first.WaitAsync(TimeSpan.FromSeconds(10));
        var (_, values) = await ScrapeAsync(host);

        Assert.Equal(200, retry.Response.StatusCode);
        Assert.Equal(200, done.Response.StatusCode);
        Assert.Equal(100, values["rest_server_repo_size_bytes{repo=\"repo\"}"]);
    }

    private static async Task PutBackendAsync(MemoryBackend backend, string path, byte[] content)
    {
        using var stream = new MemoryStream(content);
        await backend.PutAsync(VfsPath.Parse(path), stream, new PutOptions(content.Length), CancellationToken.None);
    }

    private static async Task PutDirectAsync(ResticTestHost host, string path, byte[] content)
    {
        using var stream = new MemoryStream(content);
        await host.Vfs.PutAsync(VfsPath.Parse(path), stream, new PutOptions(content.Length), CancellationToken.None);
    }

    private static async Task<(string Text, Dictionary<string, double> Values)> ScrapeAsync(ResticTestHost host)
    {
        using var response = await host.SendAsync(HttpMethod.Get, "/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("rest_server_repo_", StringComparison.Ordinal))
            {
                var space = line.LastIndexOf(' ');
                values[line[..space]] = double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture);
            }
        }

        return (text, values);
    }
}
