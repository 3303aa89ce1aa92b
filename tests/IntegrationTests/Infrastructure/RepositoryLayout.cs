using System.Text.RegularExpressions;

namespace VfsGateway.IntegrationTests.Infrastructure;

/// <summary>Checks a restic repository on disk has rest-server's (and restic local's) layout.</summary>
internal static partial class RepositoryLayout
{
    public static void AssertResticLayout(string repoDir)
    {
        Assert.True(File.Exists(Path.Combine(repoDir, "config")), $"{repoDir}/config is missing");
        foreach (var dir in new[] { "data", "index", "keys", "snapshots" })
        {
            Assert.True(Directory.Exists(Path.Combine(repoDir, dir)), $"{repoDir}/{dir}/ is missing");
        }

        // data/ is fanned out by the first two hex digits of the pack name, exactly as restic's local backend does.
        var data = Path.Combine(repoDir, "data");
        var looseFiles = Directory.GetFiles(data);
        Assert.True(looseFiles.Length == 0, $"files directly in data/: {string.Join(", ", looseFiles.Select(Path.GetFileName))}");
        var packs = 0;
        foreach (var sub in Directory.GetDirectories(data))
        {
            var prefix = Path.GetFileName(sub);
            Assert.Matches(TwoHex(), prefix);
            foreach (var pack in Directory.GetFiles(sub))
            {
                var name = Path.GetFileName(pack);
                Assert.Matches(SixtyFourHex(), name);
                Assert.StartsWith(prefix, name, StringComparison.Ordinal);
                packs++;
            }
        }

        Assert.True(packs > 0, $"no pack files under {data}");
        foreach (var name in Directory.GetFiles(Path.Combine(repoDir, "snapshots")).Select(Path.GetFileName))
        {
            Assert.Matches(SixtyFourHex(), name);
        }
    }

    [GeneratedRegex("^[0-9a-f]{2}$")]
    private static partial Regex TwoHex();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex SixtyFourHex();
}
