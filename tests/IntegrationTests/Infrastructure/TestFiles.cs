using System.Security.Cryptography;

namespace VfsGateway.IntegrationTests.Infrastructure;

/// <summary>Large test files: deterministic random content and the hash to compare round trips by.</summary>
internal static class TestFiles
{
    public static void WriteRandom(string path, long size, int seed)
    {
        var random = new Random(seed);
        var buffer = new byte[1 << 20];
        using var file = File.Create(path);
        for (var left = size; left > 0; left -= buffer.Length)
        {
            random.NextBytes(buffer);
            file.Write(buffer, 0, (int)Math.Min(buffer.Length, left));
        }
    }

    public static string Sha256(string path)
    {
        using var file = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(file));
    }
}
