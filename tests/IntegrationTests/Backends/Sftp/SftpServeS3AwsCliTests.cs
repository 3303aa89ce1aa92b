using VfsGateway.IntegrationTests.Infrastructure;

namespace VfsGateway.IntegrationTests.Backends.Sftp;

/// <summary>
/// The design card's example, `gateway serve s3 sftp:… --auth-key AK,SK`, driven by Debian's aws-cli v2
/// (/usr/bin/aws): mb, cp up (multipart, the file is above aws-cli's 8 MiB threshold), ls, cp down,
/// rm — with the objects checked on the SSH server's own disk.
/// </summary>
public sealed class SftpServeS3AwsCliTests
{
    private const string AccessKey = "SFTPITESTAK";
    private const string SecretKey = "sftp-itest-secret-key";

    [Fact]
    public async Task ServeS3_SftpRemote_AwsCliCopyListRemoveRoundTrips()
    {
        var aws = AwsCli.V2;
        using var temp = new TempDir("sftp-s3");
        await using var sshd = await SshdServer.StartAsync(LocalUsers.Sftp);
        await using var gateway = await GatewayServer.StartAsync(
            "serve", "s3", sshd.RootRemote("s3root"), "--auth-key", $"{AccessKey},{SecretKey}",
            "--sftp-key-file", sshd.ClientKey, "--sftp-known-hosts-file", sshd.KnownHosts);
        var cli = new AwsCli(aws, gateway.BaseUrl, AccessKey, SecretKey, () => $"gateway log:\n{gateway.Stderr}\nsshd log:\n{sshd.Log}");

        var source = temp.Sub("upload.bin");
        TestFiles.WriteRandom(source, (20 << 20) + 12345, seed: 5102);
        await cli.MustAsync("s3", "mb", "s3://photos");
        await cli.MustAsync("s3", "cp", source, "s3://photos/2026/dir with space/upload.bin");

        var onServer = Path.Combine(sshd.DataDirectory, "s3root", "photos", "2026", "dir with space", "upload.bin");
        Assert.True(File.Exists(onServer), "the object is not on the sftp server. sshd log:\n" + sshd.Log);
        Assert.Equal(TestFiles.Sha256(source), TestFiles.Sha256(onServer));

        var listing = await cli.MustAsync("s3", "ls", "--recursive", "s3://photos/");
        Assert.Contains("2026/dir with space/upload.bin", listing.Stdout, StringComparison.Ordinal);
        Assert.Contains(new FileInfo(source).Length.ToString(System.Globalization.CultureInfo.InvariantCulture), listing.Stdout, StringComparison.Ordinal);

        var downloaded = temp.Sub("download.bin");
        await cli.MustAsync("s3", "cp", "s3://photos/2026/dir with space/upload.bin", downloaded);
        Assert.Equal(TestFiles.Sha256(source), TestFiles.Sha256(downloaded));

        await cli.MustAsync("s3", "rm", "s3://photos/2026/dir with space/upload.bin");
        Assert.False(File.Exists(onServer), "the object is still on the sftp server after rm");
        var after = await cli.MustAsync("s3", "ls", "--recursive", "s3://photos/");
        Assert.DoesNotContain("upload.bin", after.Stdout, StringComparison.Ordinal);
        var missing = await cli.RunAsync("s3api", "head-object", "--bucket", "photos", "--key", "2026/dir with space/upload.bin");
        Assert.False(missing.Succeeded, missing.Describe());
        Assert.Contains("404", missing.Stderr, StringComparison.Ordinal);
    }
}
