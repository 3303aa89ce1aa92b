using VfsGateway.IntegrationTests.Infrastructure;

namespace VfsGateway.IntegrationTests.Vfs;

/// <summary>
/// Mode writes acknowledges restic's uploads from the cache while the backend refuses them, retries them
/// in the background, and the repository in the backend is complete and valid once the queue drained.
/// </summary>
public sealed class ResticWriteBackOutageTests
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(150);

    [Fact]
    public async Task Backup_BackendDataDirUnavailableDuringBackup_UploadsAfterOutageAndRepositoryChecks()
    {
        using var temp = new TempDir("vfs-outage");
        var repo = temp.Dir("repo");
        var cache = temp.Dir("cache");
        var source = temp.Sub("source");
        TestTree.Generate(source, seed: 41, largeBytes: 3L << 20, smallFiles: 60);

        await using var server = await GatewayServer.StartAsync(
            "serve", "restic", "local:" + repo, "--no-auth", "--prometheus",
            "--vfs-cache-mode", "writes", "--vfs-write-back", "1s", "--cache-dir", cache);
        var restic = new ResticClient(server.ResticUrl(), temp);
        await restic.MustAsync("init");
        await VfsCacheProbe.WaitForDrainAsync(server, "/metrics", DrainTimeout);
        Assert.True(File.Exists(Path.Combine(repo, "config")), "restic's config did not reach the backend after the drain");

        // The outage: as root chmod stops nothing, so the backend's data/ directory is replaced by a regular
        // file. Every pack upload (mkdir data/xx, write) then fails with ENOTDIR, while restic can still load
        // config, keys, index and snapshots.
        var dataDir = Path.Combine(repo, "data");
        var parked = Path.Combine(temp.Path, "data-parked");
        Directory.Move(dataDir, parked);
        await File.WriteAllTextAsync(dataDir, "backend outage");
        try
        {
            await restic.MustAsync("backup", "--host", "itest", source);

            var during = await VfsCacheProbe.ScrapeAsync(server, "/metrics");
            Assert.True(during["gateway_vfs_cache_dirty_items"] > 0, "no pack is waiting in the cache: " + VfsCacheProbe.Render(during));
            Assert.True(during["gateway_vfs_cache_bytes_waiting"] > 1 << 20, "less than 1 MiB waiting: " + VfsCacheProbe.Render(during));
            await WaitForAsync(
                () => server.Stderr.Contains("upload of data/", StringComparison.Ordinal) && server.Stderr.Contains("failed (attempt 2)", StringComparison.Ordinal),
                TimeSpan.FromSeconds(30),
                () => "the gateway logged no repeated failed pack upload during the outage:\n" + server.Stderr);
            Assert.True((await VfsCacheProbe.ScrapeAsync(server, "/metrics"))["gateway_vfs_cache_upload_failures_total"] >= 2);
            Assert.Equal(0, VfsCacheProbe.CountFiles(parked));
        }
        finally
        {
            File.Delete(dataDir);
            Directory.Move(parked, dataDir);
        }

        var drained = await VfsCacheProbe.WaitForDrainAsync(server, "/metrics", DrainTimeout);
        Assert.Equal(0, drained["gateway_vfs_cache_bytes_waiting"]);
        await WaitForAsync(
            () => server.Stderr.Split("upload queue drained").Length - 1 >= 2,
            TimeSpan.FromSeconds(15),
            () => "expected a second 'upload queue drained' (after init, then after the outage):\n" + server.Stderr);
        Assert.True(VfsCacheProbe.CountFiles(dataDir) > 0, "no pack reached the backend's data/ after the outage");

        Assert.Equal(0, VfsCacheProbe.CountFiles(Path.Combine(repo, "locks")));

        // The backend on its own, read by restic's local backend: every pack is there and intact.
        var direct = restic.WithRepository(repo, temp);
        await direct.MustAsync("check", "--read-data");
        TreeAssert.Equal(source, await direct.RestoreLatestAsync(source, temp.Sub("restore-direct")));

        // And through the gateway.
        await restic.MustAsync("check", "--read-data");
        RepositoryLayout.AssertResticLayout(repo);
    }

    internal static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout, Func<string> failure)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure());
            await Task.Delay(200);
        }
    }
}
