using System.Globalization;
using System.Security.Cryptography;
using VfsGateway.IntegrationTests.Backends.Sftp;
using VfsGateway.IntegrationTests.Infrastructure;
using VfsGateway.TestSupport;

namespace VfsGateway.IntegrationTests.Backends.Ftp;

/// <summary>
/// `gateway serve s3 ftp:…` in front of pure-ftpd (MLSD path, explicit FTPS), driven by Debian's
/// aws-cli v2: mb, cp up (multipart: above aws-cli's 8 MiB threshold), ls, cp down, rm, with the
/// object checked on the FTP server's own disk.
/// </summary>
public sealed class FtpServeS3AwsCliTests
{
    private const string AccessKey = "FTPITESTAK";
    private const string SecretKey = "ftp-itest-secret-key";

    [Fact]
    public async Task ServeS3_FtpRemote_AwsCliCopyListRemoveRoundTrips()
    {
        var aws = AwsCli.V2;
        using var temp = new TempDir("ftp-s3");
        await using var ftp = await FtpServer.StartAsync(FtpServerKind.PureFtpd, FtpServerTls.Explicit, LocalUsers.Ftp);
        await using var gateway = await GatewayServer.StartAsync(
            "serve", "s3", $"ftp:{LocalUsers.Ftp}@127.0.0.1:{ftp.Port.ToString(CultureInfo.InvariantCulture)}{ftp.DataDirectory}/s3root",
            "--auth-key", $"{AccessKey},{SecretKey}",
            "--ftp-pass", ftp.Password, "--ftp-explicit-tls", "--ftp-tls-fingerprint", ftp.Fingerprint);
        var cli = new AwsCli(aws, gateway.BaseUrl, AccessKey, SecretKey, () => $"gateway log:\n{gateway.Stderr}\nftp log:\n{ftp.Log}");

        var source = temp.Sub("upload.bin");
        var data = new byte[(9 << 20) + 4321];
        new Random(1102).NextBytes(data);
        await File.WriteAllBytesAsync(source, data);
        await cli.MustAsync("s3", "mb", "s3://photos");
        await cli.MustAsync("s3", "cp", source, "s3://photos/2026/dir with space/upload.bin");

        var onServer = Path.Combine(ftp.DataDirectory, "s3root", "photos", "2026", "dir with space", "upload.bin");
        Assert.True(File.Exists(onServer), "the object is not on the ftp server. gateway log:\n" + gateway.Stderr);
        Assert.Equal(SHA256.HashData(data), SHA256.HashData(await File.ReadAllBytesAsync(onServer)));

        var listing = await cli.MustAsync("s3", "ls", "--recursive", "s3://photos/");
        Assert.Contains("2026/dir with space/upload.bin", listing.Stdout, StringComparison.Ordinal);

        var downloaded = temp.Sub("download.bin");
        await cli.MustAsync("s3", "cp", "s3://photos/2026/dir with space/upload.bin", downloaded);
        Assert.Equal(SHA256.HashData(data), SHA256.HashData(await File.ReadAllBytesAsync(downloaded)));

        await cli.MustAsync("s3", "rm", "s3://photos/2026/dir with space/upload.bin");
        Assert.False(File.Exists(onServer), "the object is still on the ftp server after rm");
    }
}
