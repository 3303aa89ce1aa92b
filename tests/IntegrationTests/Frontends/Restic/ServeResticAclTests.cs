using VfsGateway.IntegrationTests.Infrastructure;

namespace VfsGateway.IntegrationTests.Frontends.Restic;

/// <summary>
/// --acl with the real restic: one server, one repository, a backup user that may only append and
/// an admin who may prune (rest-server needs two servers for that, its issue #74); SIGHUP reloads.
/// </summary>
public sealed class ServeResticAclTests
{
    [Fact]
    public async Task ForgetPrune_AppendUser403_AdminSucceeds_SighupReloads()
    {
        using var temp = new TempDir("acl");
        var repoDir = temp.Dir("repo");
        var htpasswd = temp.Sub("htpasswd");
        await ApacheHtpasswd.AddBcryptAsync(htpasswd, "admin", "admin-pw");
        await ApacheHtpasswd.AddBcryptAsync(htpasswd, "backup", "backup-pw");
        var acl = temp.Sub("acl");
        File.WriteAllText(acl, "# who  right  where\ngroup admins admin\nallow @admins modify /\nallow backup append /\n");
        var source = temp.Sub("source");
        TestTree.Generate(source, seed: 13, largeBytes: 1L << 20, smallFiles: 20);

        await using var server = await GatewayServer.StartAsync("serve", "restic", "local:" + repoDir, "--htpasswd-file", htpasswd, "--acl", acl);
        var admin = new ResticClient(server.ResticUrl("team", "admin", "admin-pw"), temp);
        var backup = admin.WithRepository(server.ResticUrl("team", "backup", "backup-pw"), temp);

        await backup.MustAsync("init");
        await backup.MustAsync("backup", source);
        TestTree.Mutate(source, seed: 14);
        await backup.MustAsync("backup", source);
        Assert.Equal(2, (await backup.SnapshotIdsAsync()).Count);

        var refused = await backup.MustFailAsync("forget", "--keep-last", "1", "--prune");
        Assert.Contains("403", refused.Stdout + refused.Stderr, StringComparison.Ordinal);
        await admin.RunAsync("unlock");
        Assert.Equal(2, (await admin.SnapshotIdsAsync()).Count);

        await admin.MustAsync("forget", "--keep-last", "1", "--prune");
        Assert.Single(await admin.SnapshotIdsAsync());
        await admin.MustAsync("check");

        // The backup user loses its rule; SIGHUP applies it at once.
        File.WriteAllText(acl, "group admins admin\nallow @admins modify /\n");
        await server.SignalAsync("HUP");
        await Task.Delay(500);
        var gone = await backup.MustFailAsync("snapshots");
        Assert.Contains("403", gone.Stdout + gone.Stderr, StringComparison.Ordinal);
        Assert.Single(await admin.SnapshotIdsAsync());
    }
}
