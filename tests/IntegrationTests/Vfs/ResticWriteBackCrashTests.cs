using VfsGateway.IntegrationTests.Infrastructure;

namespace VfsGateway.IntegrationTests.Vfs;

/// <summary>
/// Writes acknowledged into the cache survive a SIGKILL of the gateway: the next gateway on the same
/// --cache-dir uploads them, and the repository in the backend is complete. One gateway per cache dir.
/// </summary>
public sealed class ResticWriteBackCrashTests
{
    [Fact]
    public async Task Backup_GatewayKilledWithQueuedUploads_RestartUploadsEverythingIntact()
    {
        using var temp = new TempDir("vfs-kill9");
        var repo = temp.Dir("repo");
        var cache = temp.Dir("cache");
        var source = temp.Sub("source");
        TestTree.Generate(source, seed: 42, largeBytes: 3L << 20, smallFiles: 60);
        string[] serve(string writeBack) =>
            ["serve", "restic", "local:" + repo, "--no-auth", "--prometheus",
             "--vfs-cache-mode", "writes", "--vfs-write-back", writeBack, "--cache-dir", cache];

        var first = await GatewayServer.StartAsync(serve("60s"));
        try
        {
            var viaFirst = new ResticClient(first.ResticUrl(), temp);
            await viaFirst.MustAsync("init");
            await viaFirst.MustAsync("backup", "--host", "itest", source);
            Assert.Single(await viaFirst.SnapshotIdsAsync());

            // Nothing is in the backend yet: restic reads and lists everything from the cache.
            await viaFirst.MustAsync("check", "--read-data");

            var queued = await VfsCacheProbe.ScrapeAsync(first, "/metrics");
            Assert.True(queued["gateway_vfs_cache_dirty_items"] >= 5, "expected config, key, packs, index and snapshot queued: " + VfsCacheProbe.Render(queued));
            Assert.Equal(0, queued["gateway_vfs_cache_uploads_completed_total"]);
            Assert.Equal(0, VfsCacheProbe.CountFiles(repo));

            // A second gateway on the same cache directory must refuse to start, not share the queue.
            var second = await GatewayCli.RunAsync([.. serve("1s"), "--addr", "127.0.0.1:0"], timeout: TimeSpan.FromSeconds(60));
            Assert.False(second.Succeeded, "a second gateway started on a cache dir in use: " + second.Describe());
            Assert.Contains("is in use by another gateway process", second.Stderr + second.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("listening on", second.Stderr + second.Stdout, StringComparison.Ordinal);

            await first.SignalAsync("KILL");
            await ResticWriteBackOutageTests.WaitForAsync(() => first.HasExited, TimeSpan.FromSeconds(20), () => "the gateway survived SIGKILL");
        }
        finally
        {
            await first.DisposeAsync();
        }

        Assert.Equal(0, VfsCacheProbe.CountFiles(repo));

        await using var restarted = await GatewayServer.StartAsync(serve("1s"));
        Assert.Matches(@"vfs cache in .*: [1-9][0-9]* dirty item\(s\) \([0-9]+ bytes\) queued for upload", restarted.Stderr);
        var drained = await VfsCacheProbe.WaitForDrainAsync(restarted, "/metrics", TimeSpan.FromSeconds(120));
        Assert.True(drained["gateway_vfs_cache_uploads_completed_total"] >= 5, VfsCacheProbe.Render(drained));

        // restic removed its locks while they were still queued: a delete cancels the pending upload, so none lands.
        Assert.Equal(0, VfsCacheProbe.CountFiles(Path.Combine(repo, "locks")));

        var direct = new ResticClient(repo, temp);
        await direct.MustAsync("check", "--read-data");
        TreeAssert.Equal(source, await direct.RestoreLatestAsync(source, temp.Sub("restore")));
        RepositoryLayout.AssertResticLayout(repo);
    }
}
