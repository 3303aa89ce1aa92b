using System.Globalization;
using System.Text.Json;
using VfsGateway.IntegrationTests.Backends.Azure;
using VfsGateway.IntegrationTests.Backends.Sftp;
using VfsGateway.IntegrationTests.Infrastructure;

namespace VfsGateway.IntegrationTests.Backends;

/// <summary>
/// Issue 12: keys a file system cannot hold next to each other are ordinary keys on bucket-based
/// backends. Through `serve s3` on the azureblob backend (Azurite) and the s3 backend (s3rver),
/// Debian's aws-cli v2 stores an object "a" next to "a/b" and an object "dir/" with content next
/// to "dir/x", and sees exactly what AWS shows: HEAD/GET of each, listings with and without
/// delimiter, DeleteObjects of "a" and "dir/" leaving the keys below. What landed in the storage is
/// read back by a client that is not the gateway. Azure runs with and without the directory cache.
/// </summary>
public sealed class BucketKeysTests
{
    private const string AccessKey = "BUCKETKEYSAK";
    private const string SecretKey = "bucket-keys-secret";

    private static readonly (string Key, string Body)[] Objects =
    [
        ("a", "the object a\n"),
        ("a/b", "below a\n"),
        ("dir/", "a folder key with content\n"),
        ("dir/x", "below dir/\n"),
    ];

    [Theory]
    [InlineData("0s")]
    [InlineData("5m")]
    public async Task ServeS3_Azureblob_ObjectNextToPrefixAndFolderKeyWithContent(string dirCacheTime)
    {
        using var temp = new TempDir("keys-azure");
        await using var azurite = await AzuriteServer.StartAsync();
        await using var gateway = await GatewayServer.StartAsync(
            "serve", "s3", "azureblob:", "--auth-key", $"{AccessKey},{SecretKey}", "--azureblob-use-emulator", "--azureblob-endpoint", azurite.Endpoint, "--dir-cache-time", dirCacheTime);
        var cli = new AwsCli(AwsCli.V2, gateway.BaseUrl, AccessKey, SecretKey, () => $"gateway log:\n{gateway.Stderr}");

        await RoundTripAsync(cli, temp, async (key, body) =>
        {
            var seen = await AzureReader.GetAsync(azurite, "keys", key);
            Assert.Equal((200, (long)body.Length), (seen.Status, seen.Size));
        });
    }

    [Fact]
    public async Task ServeS3_S3rver_ObjectNextToPrefixAndFolderKeyWithContent()
    {
        using var temp = new TempDir("keys-s3rver");
        var port = LoopbackPorts.Free();
        await using var s3rver = await ServerProcess.StartAsync(
            "s3rver", ["-d", temp.Dir("s3rver"), "-a", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "--no-vhost-buckets", "--silent"], port);
        var config = temp.Sub("gateway.conf");
        await File.WriteAllTextAsync(config, $"""
            [back]
            type = s3
            endpoint = http://127.0.0.1:{port}
            region = us-east-1
            access_key_id = S3RVER
            secret_access_key = S3RVER
            request_checksum = when_required
            multipart_passthrough = false
            server_side_copy = false

            """);
        await using var gateway = await GatewayServer.StartAsync("serve", "s3", "back:", "--config", config, "--auth-key", $"{AccessKey},{SecretKey}");
        var cli = new AwsCli(AwsCli.V2, gateway.BaseUrl, AccessKey, SecretKey, () => $"gateway log:\n{gateway.Stderr}\ns3rver log:\n{s3rver.Log}");
        var direct = new AwsCli(AwsCli.V2, $"http://127.0.0.1:{port}", "S3RVER", "S3RVER");

        await RoundTripAsync(cli, temp, async (key, body) =>
        {
            var read = temp.Sub("direct-" + Guid.NewGuid().ToString("N"));
            await direct.MustAsync("s3api", "get-object", "--bucket", "keys", "--key", key, read);
            Assert.Equal(body, await File.ReadAllTextAsync(read));
        });
    }

    private static async Task RoundTripAsync(AwsCli cli, TempDir temp, Func<string, string, Task> seenInStorage)
    {
        await cli.MustAsync("s3api", "create-bucket", "--bucket", "keys");
        foreach (var (key, body) in Objects)
        {
            var file = temp.Sub("put-" + Guid.NewGuid().ToString("N"));
            await File.WriteAllTextAsync(file, body);
            await cli.MustAsync("s3api", "put-object", "--bucket", "keys", "--key", key, "--body", file);
        }

        // HEAD and GET of each key give its own bytes; the storage holds each under its exact name.
        foreach (var (key, body) in Objects)
        {
            using var head = Json(await cli.MustAsync("s3api", "head-object", "--bucket", "keys", "--key", key));
            Assert.Equal(body.Length, head.RootElement.GetProperty("ContentLength").GetInt64());
            var read = temp.Sub("get-" + Guid.NewGuid().ToString("N"));
            await cli.MustAsync("s3api", "get-object", "--bucket", "keys", "--key", key, read);
            Assert.Equal(body, await File.ReadAllTextAsync(read));
            await seenInStorage(key, body);
        }

        // Listings as AWS gives them: every key without a delimiter; with one, "dir/" rolls up into
        // its prefix, and listed under its own prefix it is an object.
        var all = await ListAsync(cli);
        Assert.Equal(["a", "a/b", "dir/", "dir/x"], all.Keys);
        Assert.Equal(Objects.Select(o => (long)o.Body.Length), all.Sizes);
        Assert.Empty(all.Prefixes);
        var rolled = await ListAsync(cli, "--delimiter", "/");
        Assert.Equal(["a"], rolled.Keys);
        Assert.Equal(["a/", "dir/"], rolled.Prefixes);
        var inside = await ListAsync(cli, "--prefix", "dir/", "--delimiter", "/");
        Assert.Equal(["dir/", "dir/x"], inside.Keys);
        Assert.Equal(Array.Empty<string>(), inside.Prefixes);
        var named = await ListAsync(cli, "--prefix", "a", "--delimiter", "/");
        Assert.Equal(["a"], named.Keys);
        Assert.Equal(["a/"], named.Prefixes);
        var v1 = await ListAsync(cli, "--prefix", "dir", "--delimiter", "/", "--v1");
        Assert.Equal(Array.Empty<string>(), v1.Keys);
        Assert.Equal(["dir/"], v1.Prefixes);
        Assert.Equal(["a", "a/b"], (await ListAsync(cli, "--max-items", "2")).Keys);

        // CopyObject from a folder key onto a folder key (server-side where the backend copies).
        await cli.MustAsync("s3api", "copy-object", "--bucket", "keys", "--copy-source", "keys/dir/", "--key", "copy/");
        var copied = temp.Sub("copied");
        await cli.MustAsync("s3api", "get-object", "--bucket", "keys", "--key", "copy/", copied);
        Assert.Equal("a folder key with content\n", await File.ReadAllTextAsync(copied));
        await seenInStorage("copy/", "a folder key with content\n");
        await cli.MustAsync("s3api", "delete-object", "--bucket", "keys", "--key", "copy/");

        // DeleteObjects of "a" and "dir/" removes those two objects only.
        using (var deleted = Json(await cli.MustAsync("s3api", "delete-objects", "--bucket", "keys", "--delete", """{"Objects":[{"Key":"a"},{"Key":"dir/"}]}""")))
        {
            Assert.Equal(["a", "dir/"], deleted.RootElement.GetProperty("Deleted").EnumerateArray().Select(d => d.GetProperty("Key").GetString()!).Order(StringComparer.Ordinal).ToArray());
            Assert.False(deleted.RootElement.TryGetProperty("Errors", out _));
        }

        Assert.Equal(["a/b", "dir/x"], (await ListAsync(cli)).Keys);
        foreach (var gone in new[] { "a", "dir/" })
        {
            var head = await cli.RunAsync("s3api", "head-object", "--bucket", "keys", "--key", gone);
            Assert.False(head.Succeeded);
            Assert.Contains("404", head.Stderr, StringComparison.Ordinal);
        }

        var below = temp.Sub("below");
        await cli.MustAsync("s3api", "get-object", "--bucket", "keys", "--key", "dir/x", below);
        Assert.Equal("below dir/\n", await File.ReadAllTextAsync(below));

        // A key below an object, and a folder key next to its content, in the other order too.
        var again = temp.Sub("again");
        await File.WriteAllTextAsync(again, "again");
        await cli.MustAsync("s3api", "put-object", "--bucket", "keys", "--key", "a", "--body", again);
        await cli.MustAsync("s3api", "put-object", "--bucket", "keys", "--key", "dir/", "--body", again);
        Assert.Equal(["a", "a/b", "dir/", "dir/x"], (await ListAsync(cli)).Keys);

        await cli.MustAsync("s3api", "delete-object", "--bucket", "keys", "--key", "dir/");
        await cli.MustAsync("s3api", "delete-object", "--bucket", "keys", "--key", "a/b");
        Assert.Equal(["a", "dir/x"], (await ListAsync(cli)).Keys);
        await cli.MustAsync("s3", "rm", "--recursive", "s3://keys/");
        Assert.Empty((await ListAsync(cli)).Keys);
        await cli.MustAsync("s3api", "delete-bucket", "--bucket", "keys");
    }

    /// <summary>ListObjectsV2 (or ListObjects with "--v1"), every page: keys with their sizes, and the common prefixes.</summary>
    private static async Task<(string[] Keys, long[] Sizes, string[] Prefixes)> ListAsync(AwsCli cli, params string[] args)
    {
        var operation = args.Contains("--v1") ? "list-objects" : "list-objects-v2";
        using var listing = Json(await cli.MustAsync(["s3api", operation, "--bucket", "keys", .. args.Where(a => a != "--v1")]));
        var root = listing.RootElement;
        var contents = root.TryGetProperty("Contents", out var c) ? c.EnumerateArray().ToList() : [];
        var prefixes = root.TryGetProperty("CommonPrefixes", out var p) ? p.EnumerateArray().Select(e => e.GetProperty("Prefix").GetString()!).ToArray() : [];
        return ([.. contents.Select(e => e.GetProperty("Key").GetString()!)], [.. contents.Select(e => e.GetProperty("Size").GetInt64())], prefixes);
    }

    private static JsonDocument Json(ProcessResult result) =>
        JsonDocument.Parse(result.Stdout.Trim().Length == 0 ? "{}" : result.Stdout);
}
