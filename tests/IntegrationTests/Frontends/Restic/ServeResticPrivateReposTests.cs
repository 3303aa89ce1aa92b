using VfsGateway.IntegrationTests.Infrastructure;

namespace VfsGateway.IntegrationTests.Frontends.Restic;

/// <summary>`--private-repos`: a user reaches only repositories under /USER/; the disk layout is restic's own.</summary>
public sealed class ServeResticPrivateReposTests
{
    [Fact]
    public async Task PrivateRepos_TwoUsers_EachUsesOwnRepoOnlyAndLayoutIsResticLocal()
    {
        using var temp = new TempDir("private");
        var root = temp.Dir("root");
        var htpasswd = temp.Sub("htpasswd");
        await ApacheHtpasswd.AddBcryptAsync(htpasswd, "alice", "alice-pw");
        await ApacheHtpasswd.AddBcryptAsync(htpasswd, "bob", "bob-pw");
        var source = temp.Sub("source");
        TestTree.Generate(source, seed: 9, largeBytes: 1L << 20, smallFiles: 30);

        // bob's repository is created by restic itself as a plain local repository, before the server runs.
        var bobDirect = new ResticClient(Path.Combine(root, "bob"), temp);
        await bobDirect.MustAsync("init");
        await bobDirect.MustAsync("backup", source);

        await using var server = await GatewayServer.StartAsync(
            "serve", "restic", "local:" + root, "--htpasswd-file", htpasswd, "--private-repos");
        var alice = new ResticClient(server.ResticUrl("alice", "alice", "alice-pw"), temp);
        await alice.MustAsync("init");
        await alice.MustAsync("backup", source);
        await alice.MustAsync("check", "--read-data");

        var bob = new ResticClient(server.ResticUrl("bob", "bob", "bob-pw"), temp);
        await bob.MustAsync("check", "--read-data");
        TreeAssert.Equal(source, await bob.RestoreLatestAsync(source, temp.Sub("restore-bob")));
        await bob.MustAsync("backup", source);

        var aliceAtBob = await alice.WithRepository(server.ResticUrl("bob", "alice", "alice-pw"), temp).MustFailAsync("snapshots");
        Assert.Matches("40[13]", aliceAtBob.Stderr);
        var aliceCreatesInBob = await alice.WithRepository(server.ResticUrl("bob/sub", "alice", "alice-pw"), temp).MustFailAsync("init");
        Assert.Matches("40[13]", aliceCreatesInBob.Stderr);
        var aliceAtRoot = await alice.WithRepository(server.ResticUrl("", "alice", "alice-pw"), temp).MustFailAsync("init");
        Assert.Matches("40[13]", aliceAtRoot.Stderr);
        Assert.False(Directory.Exists(Path.Combine(root, "bob", "sub")), "alice's refused init left bob/sub behind");
        Assert.False(File.Exists(Path.Combine(root, "config")), "alice's refused init wrote a repository at the root");

        // What the gateway wrote is a plain restic local repository with data/xx/ fan-out.
        RepositoryLayout.AssertResticLayout(Path.Combine(root, "alice"));
        RepositoryLayout.AssertResticLayout(Path.Combine(root, "bob"));
        var aliceDirect = new ResticClient(Path.Combine(root, "alice"), temp);
        await aliceDirect.MustAsync("check", "--read-data");
        TreeAssert.Equal(source, await aliceDirect.RestoreLatestAsync(source, temp.Sub("restore-alice")));
        Assert.Equal(2, (await bobDirect.SnapshotIdsAsync()).Count);
    }
}
