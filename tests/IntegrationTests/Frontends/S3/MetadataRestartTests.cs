using System.Text.Json;
using VfsGateway.IntegrationTests.Infrastructure;

namespace VfsGateway.IntegrationTests.Frontends.S3;

/// <summary>
/// Object metadata lives in the storage (docs/s3.md "Object metadata"): a new gateway process over the
/// same directory serves the same headers. On the local backend it is an extended attribute of each
/// file (issue 8 §4: no ".gateway-meta" directory on a fresh root); --local-no-xattr forces the sidecar
/// records that are the fallback where the file system refuses user attributes.
/// </summary>
public sealed class MetadataRestartTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task HeadObject_AfterGatewayRestart_SameContentTypeMetadataAndETag(bool noXattr)
    {
        string[] flags = noXattr ? ["--local-no-xattr"] : [];
        var aws = AwsCli.V2;
        using var temp = new TempDir("s3-meta");
        var data = temp.Sub("data");
        var small = S3Clients.WriteRandomFile(temp.Sub("small.bin"), 5000, seed: 51);
        var large = S3Clients.WriteRandomFile(temp.Sub("large.bin"), 12L << 20, seed: 52);

        JsonElement smallBefore, largeBefore;
        await using (var gateway = await S3Gateway.StartAsync(data, flags))
        {
            await gateway.Aws(aws).MustAsync("s3", "mb", "s3://meta-bucket");
            await gateway.Aws(aws).MustAsync("s3api", "put-object", "--bucket", "meta-bucket", "--key", "small.bin", "--body", small,
                "--content-type", "text/x-itest; charset=utf-8", "--metadata", "color=blue,owner=Ann Smith", "--cache-control", "max-age=60");
            // 12 MiB with aws-cli's 8 MiB threshold: a 2-part multipart upload carrying the metadata from Create.
            await gateway.Aws(aws).MustAsync("s3", "cp", "--only-show-errors", large, "s3://meta-bucket/large.bin",
                "--content-type", "application/x-large", "--metadata", "kind=multipart");
            smallBefore = await HeadAsync(aws, gateway, "small.bin");
            largeBefore = await HeadAsync(aws, gateway, "large.bin");
        }

        Assert.Equal("text/x-itest; charset=utf-8", smallBefore.GetProperty("ContentType").GetString());
        Assert.Equal($"\"{S3Clients.Md5(small)}\"", smallBefore.GetProperty("ETag").GetString());
        Assert.EndsWith("-2\"", largeBefore.GetProperty("ETag").GetString(), StringComparison.Ordinal);
        Assert.Equal(noXattr, Directory.Exists(Path.Combine(data, ".gateway-meta")));
        Assert.Equal(["large.bin", "small.bin"], Directory.EnumerateFileSystemEntries(Path.Combine(data, "meta-bucket")).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        await using (var restarted = await S3Gateway.StartAsync(data, flags))
        {
            var smallAfter = await HeadAsync(aws, restarted, "small.bin");
            var largeAfter = await HeadAsync(aws, restarted, "large.bin");
            foreach (var (before, after) in new[] { (smallBefore, smallAfter), (largeBefore, largeAfter) })
            {
                Assert.Equal(before.GetProperty("ETag").GetString(), after.GetProperty("ETag").GetString());
                Assert.Equal(before.GetProperty("ContentType").GetString(), after.GetProperty("ContentType").GetString());
                Assert.Equal(before.GetProperty("Metadata").GetRawText(), after.GetProperty("Metadata").GetRawText());
            }

            Assert.Equal("blue", smallAfter.GetProperty("Metadata").GetProperty("color").GetString());
            Assert.Equal("Ann Smith", smallAfter.GetProperty("Metadata").GetProperty("owner").GetString());
            Assert.Equal("max-age=60", smallAfter.GetProperty("CacheControl").GetString());
            Assert.Equal("application/x-large", largeAfter.GetProperty("ContentType").GetString());
            Assert.Equal("multipart", largeAfter.GetProperty("Metadata").GetProperty("kind").GetString());

            await restarted.Aws(aws).MustAsync("s3", "cp", "--only-show-errors", "s3://meta-bucket/large.bin", temp.Sub("large.back"));
            S3Clients.SameFile(large, temp.Sub("large.back"));
        }
    }

    private static async Task<JsonElement> HeadAsync(string aws, S3Gateway gateway, string key)
    {
        var result = await gateway.Aws(aws).MustAsync("s3api", "head-object", "--bucket", "meta-bucket", "--key", key, "--output", "json");
        using var json = JsonDocument.Parse(result.Stdout);
        return json.RootElement.Clone();
    }
}
