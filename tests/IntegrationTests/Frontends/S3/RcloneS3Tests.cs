using VfsGateway.IntegrationTests.Infrastructure;

namespace VfsGateway.IntegrationTests.Frontends.S3;

/// <summary>rclone's s3 backend (provider Other, UNSIGNED-PAYLOAD + Content-MD5) against the running gateway.</summary>
public sealed class RcloneS3Tests
{
    [Fact]
    public async Task Rclone_CopyCheckMultipartAndServerSideCopy_Work()
    {
        var rclone = Tool.Require("rclone");
        using var temp = new TempDir("s3-rclone");
        await using var gateway = await S3Gateway.StartAsync(temp.Sub("data"));
        Directory.CreateDirectory(Path.Combine(gateway.DataDir, "rclone-bucket"));
        var environment = new Dictionary<string, string?>
        {
            ["RCLONE_CONFIG"] = "/dev/null",
            ["RCLONE_CONFIG_GW_TYPE"] = "s3",
            ["RCLONE_CONFIG_GW_PROVIDER"] = "Other",
            ["RCLONE_CONFIG_GW_ACCESS_KEY_ID"] = S3Gateway.AccessKey,
            ["RCLONE_CONFIG_GW_SECRET_ACCESS_KEY"] = S3Gateway.SecretKey,
            ["RCLONE_CONFIG_GW_ENDPOINT"] = gateway.Endpoint,
            ["RCLONE_CONFIG_GW_FORCE_PATH_STYLE"] = "true",
            ["RCLONE_CONFIG_GW_REGION"] = "us-east-1",
            ["AWS_CA_BUNDLE"] = null,
            ["NO_PROXY"] = "127.0.0.1",
        };

        async Task<ProcessResult> Rclone(params string[] args)
        {
            var result = await ProcessRunner.RunAsync(rclone, [.. args, "--retries", "1", "--low-level-retries", "1"], environment, timeout: TimeSpan.FromMinutes(3));
            Assert.True(result.Succeeded, result.Describe());
            return result;
        }

        var source = temp.Sub("source");
        TestTree.Generate(source, seed: 21, largeBytes: 1L << 20, smallFiles: 25);
        Directory.Delete(Path.Combine(source, "empty dir"));
        // Keys with '\' are refused by design (docs/s3.md "Mapping"): covered by BadInputTests.
        File.Delete(Path.Combine(source, "odd names ü", "back\\slash"));
        // Above the 5 MiB upload cutoff: a multipart upload of 3 parts (5 + 5 + 2 MiB chunks).
        var large = S3Clients.WriteRandomFile(Path.Combine(source, "large", "twelve.bin"), 12L << 20, seed: 22);

        await Rclone("copy", source, "gw:rclone-bucket/tree", "--s3-upload-cutoff", "5M", "--s3-chunk-size", "5M");
        await Rclone("check", source, "gw:rclone-bucket/tree");
        TreeAssert.Equal(source, Path.Combine(gateway.DataDir, "rclone-bucket", "tree"));

        var lsjson = await Rclone("lsjson", "--hash", "gw:rclone-bucket/tree/large");
        Assert.Contains(S3Clients.Md5(large), lsjson.Stdout, StringComparison.Ordinal);

        var copy = await Rclone("copyto", "-v", "gw:rclone-bucket/tree/large/twelve.bin", "gw:rclone-bucket/copies/twelve.bin");
        Assert.Contains("server-side copy", copy.Stderr, StringComparison.Ordinal);
        S3Clients.SameFile(large, Path.Combine(gateway.DataDir, "rclone-bucket", "copies", "twelve.bin"));

        var back = temp.Sub("back");
        await Rclone("copy", "gw:rclone-bucket/tree", back);
        TreeAssert.Equal(source, back);
    }
}
