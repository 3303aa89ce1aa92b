namespace VfsGateway.IntegrationTests.Infrastructure;

/// <summary>
/// A deterministic tree of test data: a few large files (random and compressible), many small ones in
/// nested directories, an empty file and directory, a duplicate (dedup), and names that break naive
/// URL or shell handling.
/// </summary>
internal static class TestTree
{
    private static readonly string[] OddNames =
    [
        "with space.txt",
        "ünïcødé-日本語-файл.bin",
        "-leading-dash",
        "semi;colon&amp=and+plus",
        "quote'double\"",
        "percent%20encoded%2F",
        "#hash?query",
        "tab\there",
        "back\\slash",
        "emoji-🦀.dat",
        new string('L', 200),
    ];

    /// <summary>Writes the tree under <paramref name="root"/> and returns its total size in bytes.</summary>
    public static long Generate(string root, int seed, long largeBytes = 4L << 20, int smallFiles = 120)
    {
        var random = new Random(seed);
        Directory.CreateDirectory(root);
        long total = 0;

        // Large: one incompressible file and one compressible one, both spanning several restic chunks.
        total += WriteRandom(Path.Combine(root, "big-random.bin"), largeBytes * 3 / 4, random);
        total += WriteCompressible(Path.Combine(root, "big text.log"), largeBytes / 4, random);

        for (var i = 0; i < smallFiles; i++)
        {
            var depth = random.Next(0, 4);
            var dir = root;
            for (var d = 0; d < depth; d++)
            {
                dir = Path.Combine(dir, $"dir{random.Next(0, 3)}");
            }

            Directory.CreateDirectory(dir);
            total += WriteRandom(Path.Combine(dir, $"small-{i:D3}.dat"), random.Next(0, 24 * 1024), random);
        }

        var odd = Directory.CreateDirectory(Path.Combine(root, "odd names ü")).FullName;
        foreach (var name in OddNames)
        {
            total += WriteRandom(Path.Combine(odd, name), random.Next(1, 4096), random);
        }

        File.WriteAllBytes(Path.Combine(root, "empty-file"), []);
        Directory.CreateDirectory(Path.Combine(root, "empty dir"));
        File.Copy(Path.Combine(root, "big-random.bin"), Path.Combine(odd, "duplicate of big-random.bin"));
        total += new FileInfo(Path.Combine(root, "big-random.bin")).Length;
        return total;
    }

    /// <summary>Changes the tree so that a second snapshot differs: rewrites, adds and deletes files.</summary>
    public static void Mutate(string root, int seed)
    {
        var random = new Random(seed);
        WriteRandom(Path.Combine(root, "big-random.bin"), 3L << 20, random);
        WriteRandom(Path.Combine(root, "added after first backup.bin"), 300_000, random);
        var smalls = Directory.GetFiles(root, "small-*.dat", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        for (var i = 0; i < smalls.Length; i += 7)
        {
            File.Delete(smalls[i]);
        }
    }

    private static long WriteRandom(string path, long size, Random random)
    {
        var buffer = new byte[64 * 1024];
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 0);
        for (long left = size; left > 0; left -= buffer.Length)
        {
            random.NextBytes(buffer);
            file.Write(buffer, 0, (int)Math.Min(buffer.Length, left));
        }

        return size;
    }

    private static long WriteCompressible(string path, long size, Random random)
    {
        using var writer = new StreamWriter(path);
        long written = 0;
        for (var line = 0; written < size; line++)
        {
            var text = $"{line:D8} level={(random.Next(4) switch { 0 => "info", 1 => "warn", 2 => "debug", _ => "error" })} request served in {random.Next(1000)} ms for user{random.Next(50)}";
            writer.WriteLine(text);
            written += text.Length + 1;
        }

        return written;
    }
}
