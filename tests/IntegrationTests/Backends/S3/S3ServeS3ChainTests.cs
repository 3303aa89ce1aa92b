using System.Text.Json;
using VfsGateway.IntegrationTests.Backends.Sftp;
using VfsGateway.IntegrationTests.Infrastructure;

namespace VfsGateway.IntegrationTests.Backends.S3;

/// <summary>
/// The chain `serve s3 back:` (every bucket of the backing server) → `serve s3 local:`, driven by
/// aws-cli v2: buckets pass through, single and multipart uploads keep bytes, content type and user
/// metadata, and what the front gateway wrote reads back the same straight from the backing server.
/// </summary>
public sealed class S3ServeS3ChainTests
{
    private const string AccessKey = "CHAINFRONTAK";
    private const string SecretKey = "chain-front-secret";

    [Fact]
    public async Task ServeS3_S3Remote_ObjectsPassThroughWithBytesTypeAndMetadata()
    {
        using var temp = new TempDir("s3-chain");
        await using var backing = await S3BackingServer.StartAsync(temp);
        await using var front = await GatewayServer.StartAsync("serve", "s3", "back:", "--config", backing.ConfigFile, "--auth-key", $"{AccessKey},{SecretKey}");
        var cli = new AwsCli(AwsCli.V2, front.BaseUrl, AccessKey, SecretKey, () => $"front log:\n{front.Stderr}\nbacking log:\n{backing.Gateway.Server.Stderr}");

        // CreateBucket passes through to the backing server.
        await cli.MustAsync("s3", "mb", "s3://chain");
        Assert.Contains("chain", (await backing.Direct.MustAsync("s3", "ls")).Stdout, StringComparison.Ordinal);

        var small = temp.Sub("small.txt");
        await File.WriteAllTextAsync(small, "hello through two gateways\n");
        var large = temp.Sub("large.bin");
        TestFiles.WriteRandom(large, (21 << 20) + 4321, seed: 1002);
        await cli.MustAsync("s3", "cp", small, "s3://chain/docs/small.txt", "--content-type", "text/x-chain", "--metadata", "owner=alice,purpose=chain");
        await cli.MustAsync("s3", "cp", large, "s3://chain/big/large.bin", "--content-type", "application/x-big", "--metadata", "owner=bob");

        foreach (var (key, file, type, owner) in new[] { ("docs/small.txt", small, "text/x-chain", "alice"), ("big/large.bin", large, "application/x-big", "bob") })
        {
            var head = await backing.Direct.MustAsync("s3api", "head-object", "--bucket", "chain", "--key", key, "--output", "json");
            using var json = JsonDocument.Parse(head.Stdout);
            Assert.Equal(type, json.RootElement.GetProperty("ContentType").GetString());
            Assert.Equal(owner, json.RootElement.GetProperty("Metadata").GetProperty("owner").GetString());
            Assert.Equal(new FileInfo(file).Length, json.RootElement.GetProperty("ContentLength").GetInt64());

            var frontHead = await cli.MustAsync("s3api", "head-object", "--bucket", "chain", "--key", key, "--output", "json");
            using var frontJson = JsonDocument.Parse(frontHead.Stdout);
            Assert.Equal(json.RootElement.GetProperty("ETag").GetString(), frontJson.RootElement.GetProperty("ETag").GetString());
            Assert.Equal(type, frontJson.RootElement.GetProperty("ContentType").GetString());

            var direct = temp.Sub("direct-" + Path.GetFileName(file));
            await backing.Direct.MustAsync("s3", "cp", "s3://chain/" + key, direct);
            Assert.Equal(TestFiles.Sha256(file), TestFiles.Sha256(direct));
            var viaFront = temp.Sub("front-" + Path.GetFileName(file));
            await cli.MustAsync("s3", "cp", "s3://chain/" + key, viaFront);
            Assert.Equal(TestFiles.Sha256(file), TestFiles.Sha256(viaFront));
        }

        // The front's multipart went to the backing server's native multipart: its ETag is a multipart one, no upload is left.
        var bigHead = await backing.Direct.MustAsync("s3api", "head-object", "--bucket", "chain", "--key", "big/large.bin", "--output", "json");
        Assert.Matches("-[0-9]+\"?$", JsonDocument.Parse(bigHead.Stdout).RootElement.GetProperty("ETag").GetString()!);
        Assert.DoesNotContain("UploadId", (await backing.Direct.MustAsync("s3api", "list-multipart-uploads", "--bucket", "chain")).Stdout, StringComparison.Ordinal);

        // Server-side copy and listing through the chain; then delete and DeleteBucket pass through.
        await cli.MustAsync("s3", "cp", "s3://chain/docs/small.txt", "s3://chain/docs/copy.txt");
        var listing = await cli.MustAsync("s3", "ls", "--recursive", "s3://chain/");
        Assert.Contains("docs/copy.txt", listing.Stdout, StringComparison.Ordinal);
        Assert.Contains("big/large.bin", listing.Stdout, StringComparison.Ordinal);
        await cli.MustAsync("s3", "rm", "--recursive", "s3://chain/");
        await cli.MustAsync("s3", "rb", "s3://chain");
        Assert.DoesNotContain("chain", (await backing.Direct.MustAsync("s3", "ls")).Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServeS3_WrongSecretOrMissingBucket_FailsAtStartupWithClearError()
    {
        using var temp = new TempDir("s3-startup");
        await using var backing = await S3BackingServer.StartAsync(temp, "present");

        var missing = await GatewayCli.RunAsync(["serve", "s3", "back:absent", "--config", backing.ConfigFile, "--auth-key", "A,B", "--addr", "127.0.0.1:0"]);
        Assert.False(missing.Succeeded);
        Assert.Contains("bucket 'absent' does not exist", missing.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", missing.Stderr, StringComparison.Ordinal);

        var wrongKey = await GatewayCli.RunAsync(["serve", "s3", "back:present", "--config", backing.ConfigFile, "--s3-secret-access-key", "wrong-secret-value", "--auth-key", "A,B", "--addr", "127.0.0.1:0"]);
        Assert.False(wrongKey.Succeeded);
        Assert.Contains("denied", wrongKey.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-secret-value", wrongKey.Stderr + wrongKey.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", wrongKey.Stderr, StringComparison.Ordinal);
    }
}
