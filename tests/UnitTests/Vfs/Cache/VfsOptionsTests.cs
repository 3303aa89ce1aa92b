using VfsGateway.Vfs;
using VfsGateway.Vfs.Cache;

namespace VfsGateway.UnitTests.Vfs.Cache;

public sealed class VfsOptionsTests
{
    [Fact]
    public void Defaults_MatchRclone()
    {
        var o = new VfsOptions();
        Assert.Equal(VfsCacheMode.Off, o.CacheMode);
        Assert.Equal(TimeSpan.FromSeconds(5), o.WriteBack);
        Assert.Null(o.CacheMaxSize);
        Assert.Equal(TimeSpan.FromHours(1), o.CacheMaxAge);
        Assert.Equal(TimeSpan.FromMinutes(1), o.CachePollInterval);
        Assert.Equal(TimeSpan.FromMinutes(5), o.DirCacheTime);
        Assert.Equal(4, o.Transfers);
        Assert.Equal("gateway", Path.GetFileName(o.CacheDir));
        Assert.True(Path.IsPathRooted(o.CacheDir));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Validate_BadTransfers_ThrowsInvalid(int transfers)
    {
        var e = Assert.Throws<VfsException>(() => new VfsOptions { Transfers = transfers }.Validate());
        Assert.Equal(VfsErrorKind.Invalid, e.Kind);
    }

    [Fact]
    public void Validate_NegativeWriteBack_ThrowsInvalid() =>
        Assert.Throws<VfsException>(() => new VfsOptions { WriteBack = TimeSpan.FromSeconds(-1) }.Validate());

    [Fact]
    public void ResolvedCacheDirectory_WithRemote_IsPerRemoteSubdirectory()
    {
        var a = new VfsOptions { CacheDir = "/c", RemoteName = "sftp:backup@nas/srv" };
        var b = new VfsOptions { CacheDir = "/c", RemoteName = "local:/srv" };
        Assert.Equal("/c/vfs/sftp%3Abackup%40nas%2Fsrv", a.ResolvedCacheDirectory);
        Assert.NotEqual(a.ResolvedCacheDirectory, b.ResolvedCacheDirectory);
        Assert.Equal("/c", new VfsOptions { CacheDir = "/c" }.ResolvedCacheDirectory);
    }

    [Fact]
    public void EncodeRemote_LongOrDotted_StaysSafe()
    {
        Assert.Equal("_..", CacheNames.EncodeRemote(".."));
        var longName = CacheNames.EncodeRemote(new string('x', 500));
        Assert.True(longName.Length <= 120);
        Assert.NotEqual(longName, CacheNames.EncodeRemote(new string('x', 499)));
    }

    [Fact]
    public async Task TwoRemotes_SharingCacheDir_DoNotBlockEachOther()
    {
        await using var ctx = new CacheTestContext();
        var first = ctx.Open(ctx.Options() with { RemoteName = "memory:a" });
        var second = ctx.Open(ctx.Options() with { RemoteName = "memory:b" });
        Assert.NotEqual(first.CacheDirectory, second.CacheDirectory);
        Assert.StartsWith(Path.Combine(ctx.Root, "cache", "vfs"), first.CacheDirectory, StringComparison.Ordinal);
    }
}
