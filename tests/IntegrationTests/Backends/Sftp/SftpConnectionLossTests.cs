using System.Globalization;
using VfsGateway.IntegrationTests.Infrastructure;

namespace VfsGateway.IntegrationTests.Backends.Sftp;

/// <summary>
/// The backend's ssh processes can die under a running gateway (server restart, network drop): the pool
/// must retire the dead connections and open new ones, so restic keeps working without a restart.
/// </summary>
public sealed class SftpConnectionLossTests
{
    [Fact]
    public async Task ServeRestic_SshProcessesKilled_NewConnectionsServeRestic()
    {
        using var temp = new TempDir("sftp-conn-loss");
        await using var sshd = await SshdServer.StartAsync(LocalUsers.Sftp);
        await using var gateway = await GatewayServer.StartAsync(
            "serve", "restic", sshd.RootRemote("restic"), "--no-auth", "--debug",
            "--sftp-key-file", sshd.ClientKey, "--sftp-known-hosts-file", sshd.KnownHosts);
        var restic = new ResticClient(gateway.ResticUrl("repo"), temp);
        var source = temp.Sub("source");
        TestTree.Generate(source, seed: 5104, largeBytes: 1 << 20, smallFiles: 20);
        await restic.MustAsync("init");

        var before = await SshChildrenAsync(gateway.Pid);
        Assert.NotEmpty(before);
        foreach (var pid in before)
        {
            await ProcessRunner.RunAsync("kill", ["-KILL", pid.ToString(CultureInfo.InvariantCulture)]);
        }

        await restic.MustAsync("backup", "--host", "itest", source);
        await restic.MustAsync("check", "--read-data");
        TreeAssert.Equal(source, await restic.RestoreLatestAsync(source, temp.Sub("restore")));

        var after = await SshChildrenAsync(gateway.Pid);
        Assert.NotEmpty(after);
        Assert.Empty(after.Intersect(before));

        // A dead connection is disposed, not leaked behind a failed cleanup (the pool once passed null).
        Assert.DoesNotContain("cleanup of a dead connection failed", gateway.Stderr, StringComparison.Ordinal);
    }

    private static async Task<int[]> SshChildrenAsync(int parent)
    {
        var result = await ProcessRunner.RunAsync("pgrep", ["-P", parent.ToString(CultureInfo.InvariantCulture), "-x", "ssh"]);
        return [.. result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(p => int.Parse(p, CultureInfo.InvariantCulture))];
    }
}
