using VfsGateway.IntegrationTests.Infrastructure;

namespace VfsGateway.IntegrationTests.Frontends.Restic;

/// <summary>`--append-only`: backups work, deleting snapshots or data is refused with 403, nothing is lost.</summary>
public sealed class ServeResticAppendOnlyTests
{
    [Fact]
    public async Task ForgetPrune_AppendOnly_Fails403AndDataStaysIntact()
    {
        using var temp = new TempDir("append-only");
        var repoDir = temp.Dir("repo");
        var source = temp.Sub("source");
        TestTree.Generate(source, seed: 7, largeBytes: 2L << 20, smallFiles: 40);
        await using var server = await GatewayServer.StartAsync("serve", "restic", "local:" + repoDir, "--no-auth", "--append-only");
        var restic = new ResticClient(server.ResticUrl(), temp);

        await restic.MustAsync("init");
        await restic.MustAsync("backup", source);
        var firstRestore = await restic.RestoreLatestAsync(source, temp.Sub("restore-1"));
        TreeAssert.Equal(source, firstRestore);
        TestTree.Mutate(source, seed: 8);
        await restic.MustAsync("backup", source);
        var snapshotFiles = Directory.GetFiles(Path.Combine(repoDir, "snapshots")).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(2, snapshotFiles.Length);

        var forget = await restic.MustFailAsync("forget", "--keep-last", "1", "--prune");
        Assert.Contains("403", forget.Stdout + forget.Stderr, StringComparison.Ordinal);

        // Locks are the one thing an append-only server lets restic delete (rest-server does the same).
        Assert.Equal(snapshotFiles, Directory.GetFiles(Path.Combine(repoDir, "snapshots")).Order(StringComparer.Ordinal).ToArray());
        await restic.RunAsync("unlock");
        Assert.Equal(2, (await restic.SnapshotIdsAsync()).Count);
        await restic.MustAsync("check", "--read-data");
        TreeAssert.Equal(source, await restic.RestoreLatestAsync(source, temp.Sub("restore-2")));
    }
}
