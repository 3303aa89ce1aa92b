using System.Buffers;

namespace VfsGateway.IntegrationTests.Infrastructure;

/// <summary>Compares two directory trees: the same names, the same kinds, and every file byte for byte.</summary>
internal static class TreeAssert
{
    public static void Equal(string expectedRoot, string actualRoot)
    {
        Assert.True(Directory.Exists(actualRoot), $"restored tree {actualRoot} does not exist");
        var expected = Entries(expectedRoot);
        var actual = Entries(actualRoot);

        var missing = expected.Keys.Except(actual.Keys, StringComparer.Ordinal).ToList();
        var extra = actual.Keys.Except(expected.Keys, StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0,
            $"trees differ; missing: [{string.Join(", ", missing)}]; unexpected: [{string.Join(", ", extra)}]");

        var files = 0;
        foreach (var (relative, isDirectory) in expected)
        {
            Assert.True(isDirectory == actual[relative], $"{relative}: directory in one tree, file in the other");
            if (!isDirectory)
            {
                AssertSameContent(Path.Combine(expectedRoot, relative), Path.Combine(actualRoot, relative), relative);
                files++;
            }
        }

        Assert.True(files > 0, "the expected tree holds no files; the comparison would prove nothing");
    }

    private static Dictionary<string, bool> Entries(string root) =>
        Directory.EnumerateFileSystemEntries(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .ToDictionary(p => Path.GetRelativePath(root, p), Directory.Exists, StringComparer.Ordinal);

    private static void AssertSameContent(string expectedPath, string actualPath, string relative)
    {
        using var expected = File.OpenRead(expectedPath);
        using var actual = File.OpenRead(actualPath);
        Assert.True(expected.Length == actual.Length, $"{relative}: size {actual.Length}, expected {expected.Length}");
        var a = ArrayPool<byte>.Shared.Rent(81920);
        var b = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            long offset = 0;
            while (true)
            {
                var n = expected.ReadAtLeast(a.AsSpan(0, 81920), 81920, throwOnEndOfStream: false);
                var m = actual.ReadAtLeast(b.AsSpan(0, 81920), 81920, throwOnEndOfStream: false);
                Assert.True(n == m, $"{relative}: short read at {offset}");
                if (n == 0)
                {
                    return;
                }

                var differs = a.AsSpan(0, n).CommonPrefixLength(b.AsSpan(0, n));
                Assert.True(differs == n, $"{relative}: content differs at byte {offset + differs}");
                offset += n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(a);
            ArrayPool<byte>.Shared.Return(b);
        }
    }
}
