using System.Globalization;
using VfsGateway.IntegrationTests.Infrastructure;
using VfsGateway.TestSupport;

namespace VfsGateway.IntegrationTests.Backends.Ftp;

/// <summary>
/// `gateway serve restic ftp:…` in front of vsftpd with explicit FTPS and require_ssl_reuse=YES,
/// driven by the real restic client: backup, check --read-data, restore, with the repository on
/// the FTP server's disk and no temporary upload left behind.
/// </summary>
public sealed class FtpServeResticTests
{
    [Fact]
    public async Task ServeRestic_FtpsRemote_BackupCheckRestoreRoundTrips()
    {
        using var temp = new TempDir("ftp-restic");
        await using var ftp = await FtpServer.StartAsync(FtpServerKind.Vsftpd, FtpServerTls.Explicit, LocalUsers.Ftp);
        await using var gateway = await GatewayServer.StartAsync(
            "serve", "restic", $"ftp:{LocalUsers.Ftp}@127.0.0.1:{ftp.Port.ToString(CultureInfo.InvariantCulture)}{ftp.DataDirectory}/restic", "--no-auth",
            "--ftp-pass", ftp.Password, "--ftp-explicit-tls", "--ftp-tls-fingerprint", ftp.Fingerprint);

        var restic = new ResticClient(gateway.ResticUrl("repo"), temp);
        await BackupCycle.RunAsync(restic, temp, seed: 1101);

        var repoOnServer = Path.Combine(ftp.DataDirectory, "restic", "repo");
        Assert.True(File.Exists(Path.Combine(repoOnServer, "config")), "no config on the ftp server. gateway log:\n" + gateway.Stderr);
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(repoOnServer, "data"), "*", SearchOption.AllDirectories));
        Assert.Single(Directory.GetFiles(Path.Combine(repoOnServer, "snapshots")));
        var leftovers = Directory.GetFiles(repoOnServer, "*", SearchOption.AllDirectories)
            .Select(Path.GetFileName)
            .Where(name => name!.EndsWith(".partial", StringComparison.Ordinal))
            .ToList();
        Assert.Empty(leftovers);
    }
}
