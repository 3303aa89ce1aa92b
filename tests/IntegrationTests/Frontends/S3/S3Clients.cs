using System.Security.Cryptography;
using VfsGateway.IntegrationTests.Infrastructure;

namespace VfsGateway.IntegrationTests.Frontends.S3;

/// <summary>
/// The real S3 clients other than aws-cli (TestSupport's AwsCli) and what they need on this machine. Every client gets the endpoint
/// explicitly (Debian's awscli and boto3 ignore AWS_ENDPOINT_URL and would otherwise reach the public
/// cloud), no config or credentials file, and no proxy. A missing client fails the test with the
/// package that provides it.
/// </summary>
internal static class S3Clients
{
    /// <summary>Debian's Python, the only one that loads apt's python3-boto3.</summary>
    public static string DebianPython => RequireFile("/usr/bin/python3", "apt-get install -y python3-boto3");

    public static string S3cmd => Tool.Find("s3cmd") ?? throw new InvalidOperationException(
        "required tool 's3cmd' is not installed: apt-get install -y s3cmd");

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
