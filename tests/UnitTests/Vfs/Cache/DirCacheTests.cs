using VfsGateway.Vfs;
using static VfsGateway.UnitTests.Vfs.Cache.CacheTestContext;

namespace VfsGateway.UnitTests.Vfs.Cache;

public sealed class DirCacheTests
{
    [Theory]
    [InlineData(VfsCacheMode.Off)]
    [InlineData(VfsCacheMode.Writes)]
    public async Task List_Twice_SecondFromMemoryAndOwnChangesShowAtOnce(VfsCacheMode mode)
    {
        await using var ctx = new CacheTestContext();
        await ctx.Backend.Inner.PutAsync(VfsPath.Parse("d/one"), new MemoryStream(Bytes(5, 1)), new PutOptions(5), default);
        var vfs = ctx.Open(ctx.Options(mode) with { DirCacheTime = TimeSpan.FromMinutes(5) });

        Assert.Equal(["one"], await NamesAsync(vfs, "d"));
        var lists = ctx.Backend.Count("list");
        Assert.Equal(["one"], await NamesAsync(vfs, "d"));
        Assert.Equal(lists, ctx.Backend.Count("list"));

        await PutAsync(vfs, "d/two", Bytes(7, 2));
        Assert.Equal(["one", "two"], await NamesAsync(vfs, "d"));
        Assert.Equal(7, (await vfs.StatAsync(VfsPath.Parse("d/two"), default)).Size);
        await vfs.WaitForUploadsAsync(default).WaitAsync(Patience);
        Assert.Equal(["one", "two"], await NamesAsync(vfs, "d"));
        await vfs.DeleteAsync(VfsPath.Parse("d/one"), default);
        Assert.Equal(["two"], await NamesAsync(vfs, "d"));
        await vfs.MkdirAsync(VfsPath.Parse("d/sub"), default);
        Assert.Equal(["sub", "two"], await NamesAsync(vfs, "d"));
        await vfs.MoveAsync(VfsPath.Parse("d/two"), VfsPath.Parse("d/sub/three"), default);
        Assert.Equal(["sub"], await NamesAsync(vfs, "d"));
        Assert.Equal(["three"], await NamesAsync(vfs, "d/sub"));
        Assert.Equal(lists, ctx.Backend.Count("list") - 1);
    }

    [Fact]
    public async Task ExternalChange_VisibleAfterDirCacheTime()
    {
        await using var ctx = new CacheTestContext();
        await ctx.Backend.Inner.MkdirAsync(VfsPath.Parse("x"), default);
        var vfs = ctx.Open(ctx.Options(VfsCacheMode.Off) with { DirCacheTime = TimeSpan.FromMilliseconds(200) });
        Assert.Empty(await NamesAsync(vfs, "x"));

        await ctx.Backend.Inner.PutAsync(VfsPath.Parse("x/new"), new MemoryStream(Bytes(3, 3)), new PutOptions(3), default);

        var seen = false;
        await WaitUntilAsync(() => seen = NamesAsync(vfs, "x").GetAwaiter().GetResult().Contains("new"), "the external file listed");
        Assert.True(seen);
    }

    [Fact]
    public async Task ZeroDirCacheTime_AlwaysAsksBackend()
    {
        await using var ctx = new CacheTestContext();
        await ctx.Backend.Inner.MkdirAsync(VfsPath.Parse("z"), default);
        var vfs = ctx.Open(ctx.Options(VfsCacheMode.Off) with { DirCacheTime = TimeSpan.Zero });
        await NamesAsync(vfs, "z");
        await NamesAsync(vfs, "z");
        Assert.Equal(2, ctx.Backend.Count("list"));
    }

    private static async Task<string[]> NamesAsync(VirtualFileSystem vfs, string dir)
    {
        var names = new List<string>();
        await foreach (var e in vfs.ListAsync(VfsPath.Parse(dir), default))
        {
            names.Add(e.Name);
        }

        return [.. names.Order(StringComparer.Ordinal)];
    }
}
