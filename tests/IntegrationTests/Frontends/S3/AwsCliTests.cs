using System.Text.Json;
using VfsGateway.IntegrationTests.Infrastructure;

namespace VfsGateway.IntegrationTests.Frontends.S3;

/// <summary>
/// aws-cli against the running gateway, in both generations found here: Debian's v2 (Content-MD5, hex
/// payload hashes, Expect: 100-continue) and pip's v1 with a current botocore (CRC32 flexible checksums).
/// </summary>
public sealed class AwsCliTests
{
    private const long BigSize = 50L << 20;

    [Theory]
    [InlineData("v2")]
    [InlineData("v1")]
    public async Task AwsCli_BucketObjectsSyncCopyAndDelete_EverythingRoundTrips(string generation)
    {
        var aws = generation == "v2" ? AwsCli.V2 : AwsCli.V1;
        using var temp = new TempDir("s3-awscli-" + generation);
        await using var gateway = await S3Gateway.StartAsync(temp.Sub("data"));
        var bucket = "awscli-" + generation;
        var url = $"s3://{bucket}";

        async Task<ProcessResult> Aws(params string[] args) => await gateway.Aws(aws).MustAsync(args);

        await Aws("s3", "mb", url);
        Assert.True(Directory.Exists(Path.Combine(gateway.DataDir, bucket)));

        // Small and multipart (8 MiB default threshold and part size: 7 parts) uploads.
        var small = S3Clients.WriteRandomFile(temp.Sub("up/small.bin"), 1234, seed: 1);
        var big = S3Clients.WriteRandomFile(temp.Sub("up/big.bin"), BigSize, seed: 2);
        await Aws("s3", "cp", "--only-show-errors", small, $"{url}/dir/small.bin");
        await Aws("s3", "cp", "--only-show-errors", big, $"{url}/big.bin");
        S3Clients.SameFile(small, Path.Combine(gateway.DataDir, bucket, "dir", "small.bin"));
        S3Clients.SameFile(big, Path.Combine(gateway.DataDir, bucket, "big.bin"));

        var head = await HeadAsync(aws, gateway, bucket, "big.bin");
        Assert.Equal(BigSize, head.GetProperty("ContentLength").GetInt64());
        Assert.EndsWith("-7\"", head.GetProperty("ETag").GetString(), StringComparison.Ordinal);
        var smallHead = await HeadAsync(aws, gateway, bucket, "dir/small.bin");
        Assert.Equal($"\"{S3Clients.Md5(small)}\"", smallHead.GetProperty("ETag").GetString());

        await Aws("s3", "cp", "--only-show-errors", $"{url}/big.bin", temp.Sub("down/big.bin"));
        await Aws("s3", "cp", "--only-show-errors", $"{url}/dir/small.bin", temp.Sub("down/small.bin"));
        S3Clients.SameFile(big, temp.Sub("down/big.bin"));
        S3Clients.SameFile(small, temp.Sub("down/small.bin"));

        var ls = await Aws("s3", "ls", $"{url}/");
        Assert.Contains("PRE dir/", ls.Stdout, StringComparison.Ordinal);
        Assert.Contains($"{BigSize} big.bin", ls.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("small.bin", ls.Stdout, StringComparison.Ordinal);

        // sync up, a second sync uploads nothing, sync down reproduces the tree.
        var tree = temp.Dir("tree");
        for (var i = 0; i < 5; i++)
        {
            S3Clients.WriteRandomFile(Path.Combine(tree, i % 2 == 0 ? "a" : "b/c", $"file {i}.txt"), 100 + (i * 997), seed: 10 + i);
        }

        var firstSync = await Aws("s3", "sync", "--no-progress", tree, $"{url}/synced");
        Assert.Equal(5, CountLines(firstSync.Stdout, "upload:"));
        var secondSync = await Aws("s3", "sync", "--no-progress", tree, $"{url}/synced");
        Assert.Equal(0, CountLines(secondSync.Stdout, "upload:"));
        var back = temp.Sub("tree-back");
        await Aws("s3", "sync", "--no-progress", $"{url}/synced", back);
        TreeAssert.Equal(tree, back);

        await Aws("s3api", "copy-object", "--bucket", bucket, "--key", "copies/small copy.bin", "--copy-source", $"{bucket}/dir/small.bin");
        S3Clients.SameFile(small, Path.Combine(gateway.DataDir, bucket, "copies", "small copy.bin"));
        Assert.Equal(smallHead.GetProperty("ETag").GetString(), (await HeadAsync(aws, gateway, bucket, "copies/small copy.bin")).GetProperty("ETag").GetString());

        // Paging: 5 keys under synced/, 2 per request; --max-items 3 stops with a NextToken that resumes.
        var all = await ListKeysAsync(aws, gateway, bucket, "--prefix", "synced/", "--page-size", "2");
        Assert.Equal(5, all.Keys.Count);
        Assert.Equal(all.Keys.Order(StringComparer.Ordinal), all.Keys);
        var first = await ListKeysAsync(aws, gateway, bucket, "--prefix", "synced/", "--page-size", "2", "--max-items", "3");
        Assert.Equal(all.Keys.Take(3), first.Keys);
        Assert.NotNull(first.NextToken);
        var rest = await ListKeysAsync(aws, gateway, bucket, "--prefix", "synced/", "--page-size", "2", "--max-items", "3", "--starting-token", first.NextToken!);
        Assert.Equal(all.Keys.Skip(3), rest.Keys);
        Assert.Null(rest.NextToken);

        await Aws("s3", "rm", "--only-show-errors", $"{url}/big.bin");
        Assert.False(File.Exists(Path.Combine(gateway.DataDir, bucket, "big.bin")));
        var missing = await gateway.Aws(aws).RunAsync(["s3api", "head-object", "--bucket", bucket, "--key", "big.bin"]);
        Assert.False(missing.Succeeded);
        Assert.Contains("404", missing.Stderr, StringComparison.Ordinal);

        await Aws("s3", "rm", "--only-show-errors", "--recursive", $"{url}/");
        await Aws("s3", "rb", url);
        Assert.False(Directory.Exists(Path.Combine(gateway.DataDir, bucket)));
    }

    private static async Task<JsonElement> HeadAsync(string aws, S3Gateway gateway, string bucket, string key)
    {
        var result = await gateway.Aws(aws).MustAsync("s3api", "head-object", "--bucket", bucket, "--key", key, "--output", "json");
        using var json = JsonDocument.Parse(result.Stdout);
        return json.RootElement.Clone();
    }

    private static async Task<(List<string> Keys, string? NextToken)> ListKeysAsync(string aws, S3Gateway gateway, string bucket, params string[] args)
    {
        var result = await gateway.Aws(aws).MustAsync(["s3api", "list-objects-v2", "--bucket", bucket, "--output", "json", .. args]);
        using var json = JsonDocument.Parse(result.Stdout);
        var keys = json.RootElement.TryGetProperty("Contents", out var contents)
            ? contents.EnumerateArray().Select(c => c.GetProperty("Key").GetString()!).ToList()
            : [];
        var token = json.RootElement.TryGetProperty("NextToken", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        return (keys, token);
    }

    private static int CountLines(string text, string prefix) =>
        text.Split('\n').Count(l => l.TrimStart().StartsWith(prefix, StringComparison.Ordinal));
}
