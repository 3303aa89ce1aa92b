using VfsGateway.IntegrationTests.Infrastructure;

namespace VfsGateway.IntegrationTests.Frontends.S3;

/// <summary>s3cmd (hex x-amz-content-sha256 on every upload) against the running gateway.</summary>
public sealed class S3cmdTests
{
    [Fact]
    public async Task S3cmd_PutGetLsDel_RoundTrips()
    {
        var s3cmd = S3Clients.S3cmd;
        using var temp = new TempDir("s3-s3cmd");
        await using var gateway = await S3Gateway.StartAsync(temp.Sub("data"));
        var host = $"127.0.0.1:{gateway.Port}";

        async Task<ProcessResult> Run(params string[] args)
        {
            var result = await ProcessRunner.RunAsync(
                s3cmd,
                ["--config=/dev/null", $"--access_key={S3Gateway.AccessKey}", $"--secret_key={S3Gateway.SecretKey}", $"--host={host}", $"--host-bucket={host}", "--no-ssl", "--region=us-east-1", "--no-progress", .. args],
                new Dictionary<string, string?> { ["NO_PROXY"] = "127.0.0.1" },
                timeout: TimeSpan.FromMinutes(2));
            Assert.True(result.Succeeded, result.Describe());
            return result;
        }

        await Run("mb", "s3://s3cmd-bucket");
        var file = S3Clients.WriteRandomFile(temp.Sub("file one.bin"), 300_000, seed: 3);
        await Run("put", file, "s3://s3cmd-bucket/sub dir/file one.bin");
        S3Clients.SameFile(file, Path.Combine(gateway.DataDir, "s3cmd-bucket", "sub dir", "file one.bin"));

        var ls = await Run("ls", "--recursive", "s3://s3cmd-bucket");
        Assert.Contains("300000", ls.Stdout, StringComparison.Ordinal);
        Assert.Contains("s3://s3cmd-bucket/sub dir/file one.bin", ls.Stdout, StringComparison.Ordinal);

        await Run("get", "s3://s3cmd-bucket/sub dir/file one.bin", temp.Sub("back.bin"));
        S3Clients.SameFile(file, temp.Sub("back.bin"));

        var info = await Run("info", "s3://s3cmd-bucket/sub dir/file one.bin");
        Assert.Contains(S3Clients.Md5(file), info.Stdout, StringComparison.Ordinal);

        await Run("del", "s3://s3cmd-bucket/sub dir/file one.bin");
        Assert.False(File.Exists(Path.Combine(gateway.DataDir, "s3cmd-bucket", "sub dir", "file one.bin")));
        var empty = await Run("ls", "--recursive", "s3://s3cmd-bucket");
        Assert.DoesNotContain("file one.bin", empty.Stdout, StringComparison.Ordinal);
    }
}
