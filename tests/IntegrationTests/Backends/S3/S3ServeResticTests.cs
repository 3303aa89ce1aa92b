using System.Security.Cryptography;
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

    /// <summary>
    /// A pack is streamed into its PutObject as restic sends it; one whose SHA-256 does not match its
    /// name fails on its last byte, so the request to the S3 server breaks off short and the server
    /// stores nothing (seen by aws-cli straight against it), while a correct one lands.
    /// </summary>
    [Fact]
    public async Task ServeRestic_S3Remote_CorruptPackNeverReachesTheServer()
    {
        using var temp = new TempDir("s3-restic-corrupt");
        await using var backing = await S3BackingServer.StartAsync(temp, "restic-bucket");
        await using var gateway = await GatewayServer.StartAsync("serve", "restic", "back:restic-bucket/repos", "--config", backing.ConfigFile, "--no-auth");
        using var http = new HttpClient { BaseAddress = new Uri(gateway.BaseUrl) };
        (await http.PostAsync(new Uri("/repo/?create=true", UriKind.Relative), null)).EnsureSuccessStatusCode();
        var pack = new byte[3 * 1024 * 1024];
        new Random(5).NextBytes(pack);
        var name = Convert.ToHexStringLower(SHA256.HashData(pack));
        var corrupt = (byte[])pack.Clone();
        corrupt[^1] ^= 0xff;

        using var refused = await http.PostAsync(new Uri($"/repo/data/{name}", UriKind.Relative), new ByteArrayContent(corrupt));
        using var stored = await http.PostAsync(new Uri($"/repo/data/{Convert.ToHexStringLower(SHA256.HashData(corrupt))}", UriKind.Relative), new ByteArrayContent(corrupt));

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.StatusCode);
        stored.EnsureSuccessStatusCode();
        var listing = await backing.Direct.MustAsync("s3", "ls", "--recursive", "s3://restic-bucket/repos/repo/data/");
        Assert.DoesNotContain(name, listing.Stdout, StringComparison.Ordinal);
        Assert.Contains(Convert.ToHexStringLower(SHA256.HashData(corrupt)), listing.Stdout, StringComparison.Ordinal);
    }
}
