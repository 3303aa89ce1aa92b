using VfsGateway.IntegrationTests.Infrastructure;

namespace VfsGateway.IntegrationTests.Backends.S3;

/// <summary>
/// `gateway serve restic back:bucket/repos` (an s3 remote from the config file) in front of an S3
/// server, driven by real restic: init, backup, check --read-data, restore, forget --prune, and the
/// repository read back from the S3 server directly.
/// </summary>
public sealed class S3ServeResticTests
{
    [Fact]
    public async Task ServeRestic_S3Remote_BackupCheckRestorePruneRoundTrips()
    {
        using var temp = new TempDir("s3-restic");
        await using var backing = await S3BackingServer.StartAsync(temp, "restic-bucket");
        await using var gateway = await GatewayServer.StartAsync("serve", "restic", "back:restic-bucket/repos", "--config", backing.ConfigFile, "--no-auth");

        var restic = new ResticClient(gateway.ResticUrl("repo"), temp);
        await BackupCycle.RunAsync(restic, temp, seed: 1001);

        // The repository is in the bucket (keys below repos/repo/), as the S3 server itself lists it.
        var listing = await backing.Direct.MustAsync("s3", "ls", "--recursive", "s3://restic-bucket/repos/repo/");
        Assert.Contains("repos/repo/config", listing.Stdout, StringComparison.Ordinal);
        Assert.Contains("repos/repo/data/", listing.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(".partial", listing.Stdout, StringComparison.Ordinal);
        var uploads = await backing.Direct.MustAsync("s3api", "list-multipart-uploads", "--bucket", "restic-bucket");
        Assert.DoesNotContain("UploadId", uploads.Stdout, StringComparison.Ordinal);
    }
}
