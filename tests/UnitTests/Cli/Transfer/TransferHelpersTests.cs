using VfsGateway.Cli.Remotes;
using VfsGateway.Cli.Transfer;
using VfsGateway.Vfs.Registry;

namespace VfsGateway.UnitTests.Cli.Transfer;

public sealed class TransferHelpersTests
{
    [Theory]
    [InlineData("/tmp/a.txt", "/tmp/", "a.txt")]
    [InlineData("bucket/dir/key", "bucket/dir/", "key")]
    [InlineData("bucket", "", "bucket")]
    [InlineData("user@host:22/data/", "user@host:22/", "data")]
    [InlineData("", null, null)]
    [InlineData("/", null, null)]
    [InlineData("host/~", null, null)]
    public void SplitRoot_SplitsOffTheLastSegment(string root, string? parent, string? leaf)
    {
        var split = RemoteTarget.SplitRoot(root);

        Assert.Equal(parent, split?.Parent);
        Assert.Equal(leaf, split?.Leaf);
    }

    [Theory]
    [InlineData("fake", "a/b", "fake", "a/b", true)]
    [InlineData("fake", "a", "fake", "a/b", true)]
    [InlineData("fake", "a/b", "fake", "a", true)]
    [InlineData("fake", "", "fake", "a", true)]
    [InlineData("fake", "a/b", "fake", "a/bc", false)]
    [InlineData("fake", "a", "memory", "a", false)]
    public void Overlaps_SameBackendNestedRoots(string typeA, string rootA, string typeB, string rootB, bool expected)
    {
        var registry = new TestRegistry().Registry;

        Assert.Equal(expected, RemoteOverlap.Overlaps(Remote(registry, typeA, rootA), Remote(registry, typeB, rootB)));
    }

    [Fact]
    public void Overlaps_SameRootOnDifferentHosts_DoesNot()
    {
        var registry = new TestRegistry().Registry;

        Assert.False(RemoteOverlap.Overlaps(Remote(registry, "fake", "a", "h1"), Remote(registry, "fake", "a", "h2")));
    }

    [Fact]
    public void Status_ShowsBytesPercentRateEtaAndFiles()
    {
        Assert.Equal(
            "Transferred: 1.000 MiB / 4.000 MiB, 25%, 1.000 MiB/s, ETA 3s (1/4 files)",
            TransferProgress.Status(1 << 20, 4 << 20, 1 << 20, 1, 4));
        Assert.Equal("1h01m", TransferProgress.FormatEta(TimeSpan.FromSeconds(3660)));
    }

    private static ResolvedRemote Remote(BackendRegistry registry, string type, string root, string host = "h")
    {
        registry.TryGet(type, out var registration);
        var values = type == "fake" ? new Dictionary<string, string> { ["host"] = host } : [];
        return new ResolvedRemote(new BackendConfig(registration!, root, values), $"{type}:{root}");
    }
}
