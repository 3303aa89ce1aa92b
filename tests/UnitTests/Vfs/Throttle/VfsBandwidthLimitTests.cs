using VfsGateway.UnitTests.Vfs.Cache;
using VfsGateway.Vfs;
using static VfsGateway.UnitTests.Vfs.Cache.CacheTestContext;

namespace VfsGateway.UnitTests.Vfs.Throttle;

/// <summary>
/// Which bytes the Vfs sends through the --bwlimit buckets (counted, not timed: the limit is far
/// above what these tests move, and the timing itself is covered with a fake clock elsewhere).
/// </summary>
public sealed class VfsBandwidthLimitTests
{
    private static readonly BandwidthLimit Generous = new(1L << 30, 1L << 30);

    [Fact]
    public async Task FullMode_SecondRead_IsServedFromCacheOutsideTheLimit()
    {
        await using var ctx = new CacheTestContext();
        var data = Bytes(300_000, 21);
        await ctx.Backend.Inner.PutAsync(VfsPath.Parse("r.bin"), new MemoryStream(data), new PutOptions(data.Length), default);
        var vfs = ctx.Open(ctx.Options(VfsCacheMode.Full) with { BwLimit = Generous });

        Assert.Equal(data, await ReadAsync(vfs, "r.bin"));
        Assert.Equal(data, await ReadAsync(vfs, "r.bin"));

        Assert.Equal(data.Length, vfs.Throttle!.Download!.TotalBytes);
        Assert.Equal(1, vfs.CacheStats.Hits);
    }

    [Fact]
    public async Task OffMode_ReadAndWrite_PassTheirBuckets()
    {
        await using var ctx = new CacheTestContext();
        var vfs = ctx.Open(ctx.Options(VfsCacheMode.Off) with { BwLimit = Generous });
        var data = Bytes(200_000, 22);

        await PutAsync(vfs, "w.bin", data);
        Assert.Equal(data, await ReadAsync(vfs, "w.bin"));

        Assert.Equal(data.Length, vfs.Throttle!.Upload!.TotalBytes);
        Assert.Equal(data.Length, vfs.Throttle.Download!.TotalBytes);
        Assert.Equal(data, await ctx.ReadBackendAsync("w.bin"));
    }

    [Fact]
    public async Task WritesMode_BackgroundUpload_PassesTheUploadBucket()
    {
        await using var ctx = new CacheTestContext();
        var vfs = ctx.Open(ctx.Options(VfsCacheMode.Writes) with { BwLimit = Generous });
        var data = Bytes(150_000, 23);

        await PutAsync(vfs, "queued.bin", data);
        await vfs.WaitForUploadsAsync(default).WaitAsync(Patience);

        Assert.Equal(data.Length, vfs.Throttle!.Upload!.TotalBytes);
        Assert.Equal(0, vfs.Throttle.Download!.TotalBytes);
        Assert.Equal(data, await ctx.ReadBackendAsync("queued.bin"));
    }

    [Fact]
    public async Task ServerSideCopy_IsNotLimited()
    {
        await using var ctx = new CacheTestContext();
        var vfs = ctx.Open(ctx.Options(VfsCacheMode.Off) with { BwLimit = Generous });
        var data = Bytes(100_000, 24);
        await ctx.Backend.Inner.PutAsync(VfsPath.Parse("src.bin"), new MemoryStream(data), new PutOptions(data.Length), default);
        Assert.NotNull(vfs.Features.Copy);

        await vfs.CopyAsync(VfsPath.Parse("src.bin"), VfsPath.Parse("dst.bin"), default);

        Assert.Equal(data, await ctx.ReadBackendAsync("dst.bin"));
        Assert.Equal(0, vfs.Throttle!.Download!.TotalBytes);
        Assert.Equal(0, vfs.Throttle.Upload!.TotalBytes);
    }

    [Fact]
    public void Options_NonPositiveRate_IsRejected()
    {
        var options = VfsOptions.Default with { BwLimit = new BandwidthLimit(0, null) };

        var e = Assert.Throws<VfsException>(options.Validate);
        Assert.Equal(VfsErrorKind.Invalid, e.Kind);
    }
}
