using VfsGateway.IntegrationTests.Infrastructure;

namespace VfsGateway.IntegrationTests.Frontends.S3;

/// <summary>Requests the gateway must refuse, sent by real clients to the running process.</summary>
public sealed class BadInputTests
{
    [Fact]
    public async Task AwsCli_WrongSecret_403SignatureDoesNotMatchAndNothingWritten()
    {
        var aws = AwsCli.V2;
        using var temp = new TempDir("s3-bad-secret");
        await using var gateway = await S3Gateway.StartAsync(temp.Sub("data"));
        Directory.CreateDirectory(Path.Combine(gateway.DataDir, "secret-bucket"));
        var file = S3Clients.WriteRandomFile(temp.Sub("f.bin"), 1000, seed: 61);
        var wrong = new AwsCli(aws, gateway.Endpoint, S3Gateway.AccessKey, S3Gateway.SecretKey + "x");

        var list = await wrong.RunAsync("s3", "ls", "s3://secret-bucket/");
        var put = await wrong.RunAsync("s3api", "put-object", "--bucket", "secret-bucket", "--key", "f.bin", "--body", file);
        var unknownKey = await new AwsCli(aws, gateway.Endpoint, "nobody", S3Gateway.SecretKey).RunAsync("s3", "ls");

        Assert.False(list.Succeeded, list.Describe());
        Assert.Contains("SignatureDoesNotMatch", list.Stderr, StringComparison.Ordinal);
        Assert.False(put.Succeeded, put.Describe());
        Assert.Contains("SignatureDoesNotMatch", put.Stderr, StringComparison.Ordinal);
        Assert.False(unknownKey.Succeeded, unknownKey.Describe());
        Assert.Contains("InvalidAccessKeyId", unknownKey.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(gateway.DataDir, "secret-bucket")));
    }

    [Theory]
    [InlineData("../escape.bin")]
    [InlineData("a/../../escape.bin")]
    [InlineData("a//b.bin")]
    [InlineData("a\\..\\..\\escape.bin")]
    public async Task AwsCli_NonCanonicalKey_400InvalidArgumentAndNothingWritten(string key)
    {
        var aws = AwsCli.V2;
        using var temp = new TempDir("s3-bad-key");
        await using var gateway = await S3Gateway.StartAsync(temp.Sub("data"));
        Directory.CreateDirectory(Path.Combine(gateway.DataDir, "key-bucket"));
        var file = S3Clients.WriteRandomFile(temp.Sub("f.bin"), 1000, seed: 62);

        var put = await gateway.Aws(aws).RunAsync(["s3api", "put-object", "--bucket", "key-bucket", "--key", key, "--body", file]);
        var copy = await gateway.Aws(aws).RunAsync(["s3api", "copy-object", "--bucket", "key-bucket", "--key", "copy.bin", "--copy-source", "key-bucket/" + key]);

        Assert.False(put.Succeeded, put.Describe());
        Assert.Contains("InvalidArgument", put.Stderr, StringComparison.Ordinal);
        Assert.False(copy.Succeeded, copy.Describe());
        Assert.Contains("InvalidArgument", copy.Stderr, StringComparison.Ordinal);
        Assert.Equal([Path.Combine(temp.Path, "data"), Path.Combine(temp.Path, "f.bin")], Directory.EnumerateFileSystemEntries(temp.Path).Order(StringComparer.Ordinal));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(gateway.DataDir, "key-bucket")));
    }

    [Theory]
    [InlineData("/key-bucket/../escape.bin")]
    [InlineData("/key-bucket/%2e%2e/escape.bin")]
    [InlineData("/key-bucket/a/%2E%2E/%2e%2e/escape.bin")]
    public async Task Curl_RawTraversalPath_RefusedAndNothingWritten(string path)
    {
        var curl = Tool.Require("curl");
        using var temp = new TempDir("s3-bad-path");
        var data = temp.Dir("data");
        Directory.CreateDirectory(Path.Combine(data, "key-bucket"));
        // Anonymous, so that a path no SDK would send (curl --path-as-is) reaches the key parser itself.
        await using var server = await GatewayServer.StartAsync("serve", "s3", "local:" + data, "--no-auth");

        var result = await ProcessRunner.RunAsync(
            curl, ["-sS", "--noproxy", "*", "--path-as-is", "-X", "PUT", "--data-binary", "escaped", "-o", "/dev/null", "-w", "%{http_code}", server.BaseUrl + path],
            timeout: TimeSpan.FromSeconds(60));

        Assert.True(result.Succeeded, result.Describe());
        Assert.Equal("400", result.Stdout.Trim());
        Assert.Equal([data], Directory.EnumerateFileSystemEntries(temp.Path));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(data, "key-bucket")));
    }

    [Theory]
    [InlineData("Bad_Bucket")]
    [InlineData("ab")]
    [InlineData("has..dots")]
    [InlineData("192.168.5.4")]
    public async Task AwsCli_InvalidBucketName_400InvalidBucketNameAndNoDirectory(string name)
    {
        var aws = AwsCli.V2;
        using var temp = new TempDir("s3-bad-bucket");
        await using var gateway = await S3Gateway.StartAsync(temp.Sub("data"));

        var create = await gateway.Aws(aws).RunAsync(["s3api", "create-bucket", "--bucket", name]);

        Assert.False(create.Succeeded, create.Describe());
        Assert.Contains("InvalidBucketName", create.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(gateway.DataDir));
    }
}
