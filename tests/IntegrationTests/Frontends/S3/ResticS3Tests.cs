using VfsGateway.IntegrationTests.Infrastructure;

namespace VfsGateway.IntegrationTests.Frontends.S3;

/// <summary>
/// restic's s3 backend (minio-go) over plain http sends every upload as aws-chunked with signed chunks
/// (STREAMING-AWS4-HMAC-SHA256-PAYLOAD): a server that stores the framing corrupts the repository,
/// which check --read-data and the restore comparison would show.
/// </summary>
public sealed class ResticS3Tests
{
    [Fact]
    public async Task Restic_S3Repository_InitBackupCheckRestore()
    {
        var restic = Tool.Require("restic");
        using var temp = new TempDir("s3-restic");
        await using var gateway = await S3Gateway.StartAsync(temp.Sub("data"));
        var source = temp.Sub("source");
        TestTree.Generate(source, seed: 31, largeBytes: 3L << 20, smallFiles: 40);
        var environment = new Dictionary<string, string?>
        {
            ["RESTIC_PASSWORD"] = ResticClient.Password,
            ["RESTIC_CACHE_DIR"] = temp.Dir("restic-cache"),
            ["RESTIC_REPOSITORY"] = null,
            ["RESTIC_REPOSITORY_FILE"] = null,
            ["RESTIC_PASSWORD_FILE"] = null,
            ["RESTIC_PASSWORD_COMMAND"] = null,
            ["AWS_ACCESS_KEY_ID"] = S3Gateway.AccessKey,
            ["AWS_SECRET_ACCESS_KEY"] = S3Gateway.SecretKey,
            ["AWS_SESSION_TOKEN"] = null,
            ["AWS_DEFAULT_REGION"] = "us-east-1",
            ["AWS_PROFILE"] = null,
            ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null",
            ["NO_PROXY"] = "127.0.0.1",
        };

        async Task<ProcessResult> Restic(params string[] args)
        {
            var result = await ProcessRunner.RunAsync(
                restic, ["-r", $"s3:{gateway.Endpoint}/restic-bucket/repo", "-o", "s3.bucket-lookup=path", .. args], environment, timeout: TimeSpan.FromMinutes(4));
            Assert.True(result.Succeeded, result.Describe());
            return result;
        }

        await Restic("init");
        Assert.True(File.Exists(Path.Combine(gateway.DataDir, "restic-bucket", "repo", "config")));
        await Restic("backup", "--host", "itest", source);
        await Restic("check", "--read-data");
        var target = temp.Sub("restore");
        await Restic("restore", "latest", "--target", target);
        TreeAssert.Equal(source, Path.Combine(target, Path.GetFullPath(source).TrimStart('/')));
    }
}
