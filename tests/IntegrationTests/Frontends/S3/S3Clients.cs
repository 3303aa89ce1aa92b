using System.Security.Cryptography;
using VfsGateway.IntegrationTests.Infrastructure;

namespace VfsGateway.IntegrationTests.Frontends.S3;

/// <summary>
/// The real S3 clients and the environment they need on this machine. Every client gets the endpoint
/// explicitly (Debian's awscli and boto3 ignore AWS_ENDPOINT_URL and would otherwise reach the public
/// cloud), no config or credentials file, and no proxy. A missing client fails the test with the
/// package that provides it.
/// </summary>
internal static class S3Clients
{
    /// <summary>Debian's aws-cli v2 (apt awscli): Content-MD5, hex x-amz-content-sha256, Expect: 100-continue.</summary>
    public static string AwsV2 => RequireFile("/usr/bin/aws", "apt-get install -y awscli");

    /// <summary>
    /// aws-cli v1 with a current botocore (flexible checksums: x-amz-sdk-checksum-algorithm CRC32). It is the
    /// pip awscli of the machine image's pyenv Python; PATH's `aws` when that is not Debian's v2.
    /// </summary>
    public static string AwsV1
    {
        get
        {
            var pyenv = Environment.GetEnvironmentVariable("PYENV_ROOT") ?? "/root/.pyenv";
            var versions = Path.Combine(pyenv, "versions");
            var candidate = Directory.Exists(versions)
                ? Directory.EnumerateDirectories(versions).Select(v => Path.Combine(v, "bin", "aws")).Where(File.Exists).Order(StringComparer.Ordinal).LastOrDefault()
                : null;
            if (candidate is not null)
            {
                return candidate;
            }

            var onPath = Tool.Find("aws");
            return onPath is not null && !onPath.StartsWith("/usr/bin/", StringComparison.Ordinal) && !onPath.StartsWith("/bin/", StringComparison.Ordinal)
                ? onPath
                : throw new InvalidOperationException(
                "aws-cli v1 (pip awscli with botocore >= 1.36, flexible checksums) was not found on PATH or under " + versions
                + ": install it with `python3 -m pip install awscli`");
        }
    }

    /// <summary>Debian's Python, the only one that loads apt's python3-boto3.</summary>
    public static string DebianPython => RequireFile("/usr/bin/python3", "apt-get install -y python3-boto3");

    public static string S3cmd => Tool.Find("s3cmd") ?? throw new InvalidOperationException(
        "required tool 's3cmd' is not installed: apt-get install -y s3cmd");

    /// <summary>The environment of aws-cli and boto3: the keys, us-east-1, no files, no endpoint or CA overrides.</summary>
    public static Dictionary<string, string?> AwsEnvironment(string accessKey = S3Gateway.AccessKey, string secretKey = S3Gateway.SecretKey, string? configFile = null) => new()
    {
        ["AWS_ACCESS_KEY_ID"] = accessKey,
        ["AWS_SECRET_ACCESS_KEY"] = secretKey,
        ["AWS_SESSION_TOKEN"] = null,
        ["AWS_DEFAULT_REGION"] = "us-east-1",
        ["AWS_REGION"] = null,
        ["AWS_PROFILE"] = null,
        ["AWS_CONFIG_FILE"] = configFile ?? "/dev/null",
        ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null",
        ["AWS_CA_BUNDLE"] = null,
        ["AWS_ENDPOINT_URL"] = null,
        ["AWS_ENDPOINT_URL_S3"] = null,
        ["AWS_PAGER"] = string.Empty,
        ["NO_PROXY"] = "127.0.0.1,localhost",
    };

    /// <summary>Runs `aws --endpoint-url ENDPOINT ARGS` with <paramref name="aws"/> (v1 or v2).</summary>
    public static Task<ProcessResult> RunAwsAsync(string aws, string endpoint, IEnumerable<string> args, Dictionary<string, string?>? environment = null, string? workingDirectory = null) =>
        ProcessRunner.RunAsync(aws, ["--endpoint-url", endpoint, .. args], environment ?? AwsEnvironment(), workingDirectory, TimeSpan.FromMinutes(3));

    public static async Task<ProcessResult> MustAwsAsync(string aws, string endpoint, params string[] args)
    {
        var result = await RunAwsAsync(aws, endpoint, args);
        Assert.True(result.Succeeded, result.Describe());
        return result;
    }

    /// <summary>Writes <paramref name="size"/> random bytes (seeded) and returns the file's path.</summary>
    public static string WriteRandomFile(string path, long size, int seed)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var random = new Random(seed);
        var buffer = new byte[1 << 16];
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 0);
        for (var left = size; left > 0; left -= buffer.Length)
        {
            random.NextBytes(buffer);
            file.Write(buffer, 0, (int)Math.Min(buffer.Length, left));
        }

        return path;
    }

    public static string Sha256(string file)
    {
        using var stream = File.OpenRead(file);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>The hex MD5 of a file: what S3 returns as the ETag of a single-part upload.</summary>
#pragma warning disable CA5351 // S3 defines ETags as MD5; nothing here is a security use.
    public static string Md5(string file)
    {
        using var stream = File.OpenRead(file);
        return Convert.ToHexStringLower(MD5.HashData(stream));
    }
#pragma warning restore CA5351

    /// <summary>Asserts two files hold the same bytes.</summary>
    public static void SameFile(string expected, string actual)
    {
        Assert.True(File.Exists(actual), $"{actual} does not exist");
        Assert.Equal(new FileInfo(expected).Length, new FileInfo(actual).Length);
        Assert.Equal(Sha256(expected), Sha256(actual));
    }

    private static string RequireFile(string path, string install) =>
        File.Exists(path) ? path : throw new InvalidOperationException($"{path} is not installed: {install}");
}
