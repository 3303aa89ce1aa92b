using VfsGateway.IntegrationTests.Infrastructure;

namespace VfsGateway.IntegrationTests.Frontends.Restic;

/// <summary>Real restic through `gateway serve restic` over plain HTTP, on the local and the memory backend.</summary>
public sealed class ServeResticBackupCycleTests
{
    [Fact]
    public async Task BackupCycle_LocalRemote_RestoresIdenticalTreeAndPrunes()
    {
        using var temp = new TempDir("cycle-local");
        var repoDir = temp.Dir("repo");
        await using var server = await GatewayServer.StartAsync("serve", "restic", "local:" + repoDir, "--no-auth");
        var restic = new ResticClient(server.ResticUrl(), temp);

        await BackupCycle.RunAsync(restic, temp, seed: 1);

        RepositoryLayout.AssertResticLayout(repoDir);
    }

    [Fact]
    public async Task BackupCycle_MemoryRemoteNestedRepo_RestoresIdenticalTreeAndPrunes()
    {
        using var temp = new TempDir("cycle-mem");
        await using var server = await GatewayServer.StartAsync("serve", "restic", "memory:", "--no-auth");
        var restic = new ResticClient(server.ResticUrl("nested/repo"), temp);

        await BackupCycle.RunAsync(restic, temp, seed: 2);
    }

    [Fact]
    public async Task LocalRepo_CreatedByResticDirectly_IsServedByGateway()
    {
        using var temp = new TempDir("interop");
        var root = temp.Dir("root");
        var repoDir = Path.Combine(root, "made-by-restic");
        var source = temp.Sub("source");
        TestTree.Generate(source, seed: 3, largeBytes: 1L << 20, smallFiles: 30);
        var direct = new ResticClient(repoDir, temp);
        await direct.MustAsync("init");
        await direct.MustAsync("backup", source);

        await using var server = await GatewayServer.StartAsync("serve", "restic", "local:" + root, "--no-auth");
        var viaGateway = new ResticClient(server.ResticUrl("made-by-restic"), temp);
        await viaGateway.MustAsync("check", "--read-data");
        TreeAssert.Equal(source, await viaGateway.RestoreLatestAsync(source, temp.Sub("restore")));

        // And the other way: what the gateway writes, restic's local backend reads.
        await viaGateway.MustAsync("backup", source);
        Assert.Equal(2, (await direct.SnapshotIdsAsync()).Count);
        await direct.MustAsync("check", "--read-data");
    }
}
