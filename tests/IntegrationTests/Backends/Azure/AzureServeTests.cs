using System.Security.Cryptography;
using System.Text.Json;
using VfsGateway.IntegrationTests.Backends.Sftp;
using VfsGateway.IntegrationTests.Infrastructure;

namespace VfsGateway.IntegrationTests.Backends.Azure;

/// <summary>
/// `gateway serve restic|s3 azureblob:…` in front of a private Azurite, driven by real restic and
/// Debian's aws-cli v2; what the gateway wrote is read back by an independent client (AzureReader).
/// </summary>
public sealed class AzureServeTests
{
    private const string AccessKey = "AZUREITESTAK";
    private const string SecretKey = "azure-itest-secret-key";

    [Fact]
    public async Task ServeRestic_AzureRemote_BackupCheckForgetRestoreRoundTrips()
    {
        using var temp = new TempDir("azure-restic");
        await using var azurite = await AzuriteServer.StartAsync();
        await azurite.CreateContainerAsync("backups");
        await using var gateway = await GatewayServer.StartAsync(
            "serve", "restic", "azureblob:backups/restic", "--no-auth", "--azureblob-use-emulator", "--azureblob-endpoint", azurite.Endpoint);

        var restic = new ResticClient(gateway.ResticUrl("repo"), temp);
        await BackupCycle.RunAsync(restic, temp, seed: 9101);

        var config = await AzureReader.GetAsync(azurite, "backups", "restic/repo/config");
        Assert.Equal(200, config.Status);
        var blobs = new List<string>();
        await foreach (var blob in azurite.Client().GetBlobContainerClient("backups").GetBlobsAsync(global::Azure.Storage.Blobs.Models.BlobTraits.None, global::Azure.Storage.Blobs.Models.BlobStates.None, "restic/repo/", default))
        {
            blobs.Add(blob.Name);
        }

        Assert.Contains(blobs, b => b.StartsWith("restic/repo/data/", StringComparison.Ordinal));
        Assert.Single(blobs, b => b.StartsWith("restic/repo/snapshots/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ServeS3_AzureAccount_AwsCliRoundTripsAndAzureSeesTheSameObjects()
    {
        var aws = AwsCli.V2;
        using var temp = new TempDir("azure-s3");
        await using var azurite = await AzuriteServer.StartAsync();
        await using var gateway = await GatewayServer.StartAsync(
            "serve", "s3", "azureblob:", "--auth-key", $"{AccessKey},{SecretKey}", "--azureblob-use-emulator", "--azureblob-endpoint", azurite.Endpoint);
        var cli = new AwsCli(aws, gateway.BaseUrl, AccessKey, SecretKey, () => $"gateway log:\n{gateway.Stderr}");

        var small = temp.Sub("small.txt");
        await File.WriteAllTextAsync(small, "hello azure\n");
        var large = temp.Sub("large.bin");
        WriteRandom(large, (20 << 20) + 4321, seed: 9102);
        var tree = temp.Dir("tree");
        await File.WriteAllTextAsync(Path.Combine(tree, "a.txt"), "a");
        Directory.CreateDirectory(Path.Combine(tree, "sub"));
        await File.WriteAllTextAsync(Path.Combine(tree, "sub", "b.txt"), "bb");

        await cli.MustAsync("s3", "mb", "s3://photos");
        await cli.MustAsync("s3", "cp", small, "s3://photos/docs/small.txt", "--content-type", "text/x-itest", "--metadata", "owner=itest,my-key=dash");
        await cli.MustAsync("s3", "cp", large, "s3://photos/big/large.bin");
        await cli.MustAsync("s3", "sync", tree, "s3://photos/tree");

        var smallSeen = await AzureReader.GetAsync(azurite, "photos", "docs/small.txt");
        Assert.Equal((200, "text/x-itest", Sha256(small)), (smallSeen.Status, smallSeen.ContentType, smallSeen.Sha256));
        Assert.Equal("itest", smallSeen.Metadata["owner"]);
        Assert.Contains(smallSeen.Metadata, kv => kv.Value == "dash");
        var largeSeen = await AzureReader.GetAsync(azurite, "photos", "big/large.bin");
        Assert.Equal((200, Sha256(large)), (largeSeen.Status, largeSeen.Sha256));
        Assert.Equal(200, (await AzureReader.GetAsync(azurite, "photos", "tree/sub/b.txt")).Status);

        var listing = await cli.MustAsync("s3", "ls", "--recursive", "s3://photos/");
        foreach (var key in new[] { "docs/small.txt", "big/large.bin", "tree/a.txt", "tree/sub/b.txt" })
        {
            Assert.Contains(key, listing.Stdout, StringComparison.Ordinal);
        }

        var head = await cli.MustAsync("s3api", "head-object", "--bucket", "photos", "--key", "docs/small.txt");
        Assert.Contains("text/x-itest", head.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"my-key\": \"dash\"", head.Stdout, StringComparison.Ordinal);
        var down = temp.Sub("down.bin");
        await cli.MustAsync("s3", "cp", "s3://photos/big/large.bin", down);
        Assert.Equal(Sha256(large), Sha256(down));

        await cli.MustAsync("s3", "rb", "--force", "s3://photos");
        Assert.False(await azurite.Client().GetBlobContainerClient("photos").ExistsAsync());
    }

    [Fact]
    public async Task ServeS3_MultipartAcrossTwoInstances_CompletesOnTheOther()
    {
        var aws = AwsCli.V2;
        using var temp = new TempDir("azure-mp");
        await using var azurite = await AzuriteServer.StartAsync();
        await azurite.CreateContainerAsync("shared");
        string[] serve = ["serve", "s3", "azureblob:", "--auth-key", $"{AccessKey},{SecretKey}", "--azureblob-use-emulator", "--azureblob-endpoint", azurite.Endpoint];
        await using var a = await GatewayServer.StartAsync(serve);
        await using var b = await GatewayServer.StartAsync(serve);
        var cliA = new AwsCli(aws, a.BaseUrl, AccessKey, SecretKey, () => $"gateway A log:\n{a.Stderr}");
        var cliB = new AwsCli(aws, b.BaseUrl, AccessKey, SecretKey, () => $"gateway B log:\n{b.Stderr}");
        var part1 = temp.Sub("p1");
        var part2 = temp.Sub("p2");
        WriteRandom(part1, 5 << 20, seed: 1);
        WriteRandom(part2, 12345, seed: 2);

        var created = await cliA.MustAsync("s3api", "create-multipart-upload", "--bucket", "shared", "--key", "obj.bin", "--content-type", "application/x-two");
        var uploadId = JsonDocument.Parse(created.Stdout).RootElement.GetProperty("UploadId").GetString()!;
        var etag1 = ETagOf(await cliA.MustAsync("s3api", "upload-part", "--bucket", "shared", "--key", "obj.bin", "--part-number", "1", "--upload-id", uploadId, "--body", part1));
        var etag2 = ETagOf(await cliB.MustAsync("s3api", "upload-part", "--bucket", "shared", "--key", "obj.bin", "--part-number", "2", "--upload-id", uploadId, "--body", part2));
        var parts = await cliB.MustAsync("s3api", "list-parts", "--bucket", "shared", "--key", "obj.bin", "--upload-id", uploadId);
        Assert.Equal(2, JsonDocument.Parse(parts.Stdout).RootElement.GetProperty("Parts").GetArrayLength());
        var list = JsonSerializer.Serialize(new { Parts = new[] { new { ETag = etag1, PartNumber = 1 }, new { ETag = etag2, PartNumber = 2 } } });
        await cliB.MustAsync("s3api", "complete-multipart-upload", "--bucket", "shared", "--key", "obj.bin", "--upload-id", uploadId, "--multipart-upload", list);

        var seen = await AzureReader.GetAsync(azurite, "shared", "obj.bin");
        var whole = temp.Sub("whole");
        await File.WriteAllBytesAsync(whole, [.. await File.ReadAllBytesAsync(part1), .. await File.ReadAllBytesAsync(part2)]);
        Assert.Equal((200, "application/x-two", Sha256(whole)), (seen.Status, seen.ContentType, seen.Sha256));
        var down = temp.Sub("down");
        await cliA.MustAsync("s3", "cp", "s3://shared/obj.bin", down);
        Assert.Equal(Sha256(whole), Sha256(down));
        var uploads = await cliA.MustAsync("s3api", "list-multipart-uploads", "--bucket", "shared");
        Assert.DoesNotContain(uploadId, uploads.Stdout, StringComparison.Ordinal);
    }

    private static string ETagOf(ProcessResult result) => JsonDocument.Parse(result.Stdout).RootElement.GetProperty("ETag").GetString()!;

    private static void WriteRandom(string path, long size, int seed)
    {
        var random = new Random(seed);
        var buffer = new byte[64 * 1024];
        using var file = File.Create(path);
        for (var left = size; left > 0; left -= buffer.Length)
        {
            random.NextBytes(buffer);
            file.Write(buffer, 0, (int)Math.Min(buffer.Length, left));
        }
    }

    private static string Sha256(string path)
    {
        using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(file));
    }
}
