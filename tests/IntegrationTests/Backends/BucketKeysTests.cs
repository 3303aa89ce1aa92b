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
/// A "dir/" key uploaded in parts (aws-cli s3api step by step, boto3's upload_fileobj) is that
/// object too, through each way the frontend has to stage parts: Azure's blocks (azureblob), the
/// frontend's own staging (s3rver, multipart_passthrough = false) and S3 native multipart (the s3
/// backend pointed at a second gateway that serves Azurite).
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

        Func<string, string, Task> seenInStorage = async (key, body) =>
        {
            var seen = await AzureReader.GetAsync(azurite, "keys", key);
            Assert.Equal((200, (long)body.Length), (seen.Status, seen.Size));
        };
        await RoundTripAsync(cli, temp, seenInStorage);
        await MultipartFolderKeyAsync(cli, gateway.BaseUrl, temp, seenInStorage);
    }

    [Fact]
    public async Task ServeS3_S3BackendNativeMultipart_FolderKeyInParts()
    {
        // The s3 backend with multipart_passthrough (its default) maps parts onto the server's own
        // multipart uploads; the server is a second gateway serving Azurite, which holds "dir/" keys.
        using var temp = new TempDir("keys-s3native");
        await using var azurite = await AzuriteServer.StartAsync();
        await using var server = await GatewayServer.StartAsync(
            "serve", "s3", "azureblob:", "--auth-key", "INNERAK,inner-secret", "--azureblob-use-emulator", "--azureblob-endpoint", azurite.Endpoint);
        var config = temp.Sub("gateway.conf");
        await File.WriteAllTextAsync(config, $"""
            [back]
            type = s3
            endpoint = {server.BaseUrl}
            region = us-east-1
            access_key_id = INNERAK
            secret_access_key = inner-secret

            """);
        await using var gateway = await GatewayServer.StartAsync("serve", "s3", "back:", "--config", config, "--auth-key", $"{AccessKey},{SecretKey}");
        var cli = new AwsCli(AwsCli.V2, gateway.BaseUrl, AccessKey, SecretKey, () => $"gateway log:\n{gateway.Stderr}\nserver gateway log:\n{server.Stderr}");
        var direct = new AwsCli(AwsCli.V2, server.BaseUrl, "INNERAK", "inner-secret");

        await MultipartFolderKeyAsync(
            cli,
            gateway.BaseUrl,
            temp,
            async (key, body) =>
            {
                var seen = await AzureReader.GetAsync(azurite, "keys", key);
                Assert.Equal((200, (long)body.Length), (seen.Status, seen.Size));
            },
            async uploadId =>
            {
                // The server itself holds the upload (same id) and its parts: nothing was staged in between.
                using var parts = Json(await direct.MustAsync("s3api", "list-parts", "--bucket", "keys", "--key", "dir/", "--upload-id=" + uploadId));
                Assert.Equal(2, parts.RootElement.GetProperty("Parts").GetArrayLength());
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

        Func<string, string, Task> seenInStorage = async (key, body) =>
        {
            var read = temp.Sub("direct-" + Guid.NewGuid().ToString("N"));
            await direct.MustAsync("s3api", "get-object", "--bucket", "keys", "--key", key, read);
            Assert.Equal(body, await File.ReadAllTextAsync(read));
        };
        await RoundTripAsync(cli, temp, seenInStorage);
        await MultipartFolderKeyAsync(cli, gateway.BaseUrl, temp, seenInStorage);
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

    /// <summary>
    /// A "dir/" key uploaded in parts, next to an upload of "dir" and the key "dir/x": aws-cli's s3api
    /// steps (create, list uploads, two parts, list parts, complete, abort the other), then boto3's
    /// upload_fileobj of a stream to "stream/" above its multipart threshold; each lands as that object.
    /// </summary>
    /// <param name="partsInStorage">Called with the upload id once both parts are sent, before Complete.</param>
    private static async Task MultipartFolderKeyAsync(AwsCli cli, string endpoint, TempDir temp, Func<string, string, Task> seenInStorage, Func<string, Task>? partsInStorage = null)
    {
        await cli.MustAsync("s3api", "create-bucket", "--bucket", "keys");
        var below = temp.Sub("below-" + Guid.NewGuid().ToString("N"));
        await File.WriteAllTextAsync(below, "below dir/\n");
        await cli.MustAsync("s3api", "put-object", "--bucket", "keys", "--key", "dir/x", "--body", below);

        string id, otherId;
        using (var begun = Json(await cli.MustAsync("s3api", "create-multipart-upload", "--bucket", "keys", "--key", "dir/")))
        using (var other = Json(await cli.MustAsync("s3api", "create-multipart-upload", "--bucket", "keys", "--key", "dir")))
        {
            Assert.Equal("dir/", begun.RootElement.GetProperty("Key").GetString());
            (id, otherId) = (begun.RootElement.GetProperty("UploadId").GetString()!, other.RootElement.GetProperty("UploadId").GetString()!);
        }

        using (var uploads = Json(await cli.MustAsync("s3api", "list-multipart-uploads", "--bucket", "keys")))
        {
            var listed = uploads.RootElement.GetProperty("Uploads").EnumerateArray().Select(u => (u.GetProperty("Key").GetString(), u.GetProperty("UploadId").GetString())).ToArray();
            Assert.Equal([("dir", otherId), ("dir/", id)], listed);
        }

        var parts = new[] { new string('p', 5 * 1024 * 1024), "and the rest of the folder object\n" };
        var etags = new List<string>();
        for (var i = 0; i < parts.Length; i++)
        {
            var file = temp.Sub($"part{i + 1}-" + Guid.NewGuid().ToString("N"));
            await File.WriteAllTextAsync(file, parts[i]);
            using var part = Json(await cli.MustAsync("s3api", "upload-part", "--bucket", "keys", "--key", "dir/", "--upload-id=" + id, "--part-number", (i + 1).ToString(CultureInfo.InvariantCulture), "--body", file));
            etags.Add(part.RootElement.GetProperty("ETag").GetString()!);
        }

        using (var listed = Json(await cli.MustAsync("s3api", "list-parts", "--bucket", "keys", "--key", "dir/", "--upload-id=" + id)))
        {
            Assert.Equal([1, 2], listed.RootElement.GetProperty("Parts").EnumerateArray().Select(p => p.GetProperty("PartNumber").GetInt32()));
        }

        if (partsInStorage is not null)
        {
            await partsInStorage(id);
        }

        var completion = JsonSerializer.Serialize(new { Parts = etags.Select((e, i) => new { PartNumber = i + 1, ETag = e }) });
        using (var done = Json(await cli.MustAsync("s3api", "complete-multipart-upload", "--bucket", "keys", "--key", "dir/", "--upload-id=" + id, "--multipart-upload", completion)))
        {
            Assert.Equal("dir/", done.RootElement.GetProperty("Key").GetString());
            Assert.EndsWith("-2\"", done.RootElement.GetProperty("ETag").GetString(), StringComparison.Ordinal);
        }

        await cli.MustAsync("s3api", "abort-multipart-upload", "--bucket", "keys", "--key", "dir", "--upload-id=" + otherId);
        using (var none = Json(await cli.MustAsync("s3api", "list-multipart-uploads", "--bucket", "keys")))
        {
            Assert.False(none.RootElement.TryGetProperty("Uploads", out var left) && left.GetArrayLength() > 0);
        }

        var folder = string.Concat(parts);
        var read = temp.Sub("read-" + Guid.NewGuid().ToString("N"));
        await cli.MustAsync("s3api", "get-object", "--bucket", "keys", "--key", "dir/", read);
        Assert.Equal(folder, await File.ReadAllTextAsync(read));
        await seenInStorage("dir/", folder);

        // boto3 streams a file object to a trailing-slash key in two parts (5 MiB threshold and chunks;
        // a refused CreateMultipartUpload fails the upload). Its ETag is not checked: through the
        // frontend's staging the s3 backend stores one put and reports the server's ETag (docs/s3.md).
        var stream = string.Concat(Enumerable.Repeat("stream-", 900_000));
        var boto = await ProcessRunner.RunAsync(
            Frontends.S3.S3Clients.DebianPython,
            ["-", endpoint, AccessKey, SecretKey],
            AwsCli.ClientEnvironment(AccessKey, SecretKey),
            standardInput: """
                import io, sys
                import boto3
                from boto3.s3.transfer import TransferConfig
                from botocore.config import Config
                endpoint, key, secret = sys.argv[1:4]
                s3 = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=key, aws_secret_access_key=secret, region_name="us-east-1",
                                  config=Config(s3={"addressing_style": "path"}, signature_version="s3v4", retries={"max_attempts": 1}))
                body = b"stream-" * 900000
                s3.upload_fileobj(io.BytesIO(body), "keys", "stream/", Config=TransferConfig(multipart_threshold=5 * 1024 * 1024, multipart_chunksize=5 * 1024 * 1024, max_concurrency=1))
                head = s3.head_object(Bucket="keys", Key="stream/")
                assert head["ContentLength"] == len(body), head["ContentLength"]
                assert s3.get_object(Bucket="keys", Key="stream/")["Body"].read() == body
                print("stream ok")
                """,
            timeout: TimeSpan.FromMinutes(3));
        Assert.True(boto.Succeeded, boto.Describe());
        Assert.Equal("stream ok", boto.Stdout.Trim());
        await seenInStorage("stream/", stream);

        // Listed as the single-PUT case: keys in order, and with a delimiter the folder keys roll up.
        var all = await ListAsync(cli);
        Assert.Equal(["dir/", "dir/x", "stream/"], all.Keys);
        Assert.Equal([folder.Length, 11L, stream.Length], all.Sizes);
        Assert.Equal(["dir/", "stream/"], (await ListAsync(cli, "--delimiter", "/")).Prefixes);
        Assert.Equal(["dir/", "dir/x"], (await ListAsync(cli, "--prefix", "dir/", "--delimiter", "/")).Keys);

        await cli.MustAsync("s3", "rm", "--recursive", "s3://keys/");
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
