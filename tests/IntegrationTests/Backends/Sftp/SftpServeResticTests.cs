using VfsGateway.IntegrationTests.Infrastructure;

namespace VfsGateway.IntegrationTests.Backends.Sftp;

/// <summary>
/// `gateway serve restic sftp:…` in front of a private OpenSSH sshd, driven by the real restic client:
/// the whole backup cycle must work over the SFTP backend, and the repository must really be on the
/// SSH server's disk.
/// </summary>
public sealed class SftpServeResticTests
{
    [Fact]
    public async Task ServeRestic_SftpRemoteWithKey_BackupCheckRestoreRoundTrips()
    {
        using var temp = new TempDir("sftp-restic");
        await using var sshd = await SshdServer.StartAsync(LocalUsers.Sftp);
        await using var gateway = await GatewayServer.StartAsync(
            "serve", "restic", sshd.RootRemote("restic"), "--no-auth",
            "--sftp-key-file", sshd.ClientKey, "--sftp-known-hosts-file", sshd.KnownHosts);

        var restic = new ResticClient(gateway.ResticUrl("repo"), temp);
        await BackupCycle.RunAsync(restic, temp, seed: 5101);

        // The repository lives on the SSH server (below the remote's absolute path), not anywhere local.
        var repoOnServer = Path.Combine(sshd.DataDirectory, "restic", "repo");
        Assert.True(File.Exists(Path.Combine(repoOnServer, "config")), "no config on the sftp server. sshd log:\n" + sshd.Log);
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(repoOnServer, "data"), "*", SearchOption.AllDirectories));
        Assert.Single(Directory.GetFiles(Path.Combine(repoOnServer, "snapshots")));

        // No temporary upload names may be left behind next to the packs.
        var leftovers = Directory.GetFiles(repoOnServer, "*", SearchOption.AllDirectories)
            .Select(Path.GetFileName)
            .Where(name => name!.EndsWith(".partial", StringComparison.Ordinal))
            .ToList();
        Assert.Empty(leftovers);
    }
}
