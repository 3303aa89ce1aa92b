using VfsGateway.Vfs;
using static VfsGateway.UnitTests.Vfs.Cache.CacheTestContext;

namespace VfsGateway.UnitTests.Vfs.Cache;

public sealed class FullModeTests
{
    [Fact]
    public async Task Read_Twice_SecondIsServedFromCache()
    {
        await using var ctx = new CacheTestContext();
        var data = Bytes(300_000, 1);
        await ctx.Backend.Inner.PutAsync(VfsPath.Parse("r.bin"), new MemoryStream(data), new PutOptions(data.Length), default);
        var vfs = ctx.Open(ctx.Options(VfsCacheMode.Full));

        Assert.Equal(data, await ReadAsync(vfs, "r.bin"));
        var opens = ctx.Backend.Count("open");
        Assert.Equal(data, await ReadAsync(vfs, "r.bin"));

        Assert.Equal(opens, ctx.Backend.Count("open"));
        Assert.Equal(data.Length, ctx.Backend.BytesRead);
        Assert.Equal(1, vfs.CacheStats.Misses);
        Assert.Equal(1, vfs.CacheStats.Hits);
        Assert.Equal(data.Length, vfs.CacheStats.CacheSize);
    }

    [Fact]
    public async Task RangedReads_FetchOnlyMissingRanges()
    {
        await using var ctx = new CacheTestContext();
        var data = Bytes(1_000_000, 2);
        await ctx.Backend.Inner.PutAsync(VfsPath.Parse("big.bin"), new MemoryStream(data), new PutOptions(data.Length), default);
        var vfs = ctx.Open(ctx.Options(VfsCacheMode.Full));

        Assert.Equal(data.AsSpan(500_000, 10).ToArray(), await ReadAsync(vfs, "big.bin", new ByteRange(500_000, 10)));
        var afterFirst = ctx.Backend.BytesRead;
        Assert.InRange(afterFirst, 10, 64 * 1024);
        Assert.Equal(data.AsSpan(500_005, 100).ToArray(), await ReadAsync(vfs, "big.bin", new ByteRange(500_005, 100)));
        Assert.Equal(afterFirst, ctx.Backend.BytesRead);

        Assert.Equal(data, await ReadAsync(vfs, "big.bin"));
        Assert.Equal(data.Length, ctx.Backend.BytesRead);
        Assert.Equal(data.Length, vfs.CacheStats.CacheSize);
    }

    [Fact]
    public async Task Restart_KeepsFetchedRanges()
    {
        await using var ctx = new CacheTestContext();
        var data = Bytes(200_000, 3);
        await ctx.Backend.Inner.PutAsync(VfsPath.Parse("keep.bin"), new MemoryStream(data), new PutOptions(data.Length), default);
        var first = ctx.Open(ctx.Options(VfsCacheMode.Full));
        Assert.Equal(data.AsSpan(0, 1000).ToArray(), await ReadAsync(first, "keep.bin", new ByteRange(0, 1000)));
        await first.StopAsync(TimeSpan.FromSeconds(5));
        var fetched = ctx.Backend.BytesRead;

        var second = ctx.Open(ctx.Options(VfsCacheMode.Full));
        Assert.Equal(data.AsSpan(0, 1000).ToArray(), await ReadAsync(second, "keep.bin", new ByteRange(0, 1000)));

        Assert.Equal(fetched, ctx.Backend.BytesRead);
    }

    [Fact]
    public async Task RemoteChange_InvalidatesCleanCopy()
    {
        await using var ctx = new CacheTestContext();
        var v1 = Bytes(50_000, 4);
        await ctx.Backend.Inner.PutAsync(VfsPath.Parse("chg.bin"), new MemoryStream(v1), new PutOptions(v1.Length), default);
        var vfs = ctx.Open(ctx.Options(VfsCacheMode.Full) with { DirCacheTime = TimeSpan.Zero });
        Assert.Equal(v1, await ReadAsync(vfs, "chg.bin"));

        var v2 = Bytes(60_000, 5);
        await ctx.Backend.Inner.PutAsync(VfsPath.Parse("chg.bin"), new MemoryStream(v2), new PutOptions(v2.Length), default);

        Assert.Equal(v2, await ReadAsync(vfs, "chg.bin"));
        Assert.Equal(v2.Length, vfs.CacheStats.CacheSize);
    }

    [Fact]
    public async Task DirtyCopy_WinsOverBackend()
    {
        await using var ctx = new CacheTestContext();
        var v1 = Bytes(50_000, 6);
        await ctx.Backend.Inner.PutAsync(VfsPath.Parse("w.bin"), new MemoryStream(v1), new PutOptions(v1.Length), default);
        var vfs = ctx.Open(ctx.Options(VfsCacheMode.Full));
        Assert.Equal(v1, await ReadAsync(vfs, "w.bin"));
        ctx.Backend.PutOutage = true;

        var v2 = Bytes(10_000, 7);
        await PutAsync(vfs, "w.bin", v2);

        Assert.Equal(v2, await ReadAsync(vfs, "w.bin"));
        Assert.Equal(v1, await ctx.ReadBackendAsync("w.bin"));
        ctx.Backend.PutOutage = false;
        await vfs.WaitForUploadsAsync(default).WaitAsync(Patience);
        Assert.Equal(v2, await ctx.ReadBackendAsync("w.bin"));

        // Uploaded data stays as a clean copy in mode full.
        var reads = ctx.Backend.BytesRead;
        Assert.Equal(v2, await ReadAsync(vfs, "w.bin"));
        Assert.Equal(reads, ctx.Backend.BytesRead);
    }

    [Fact]
    public async Task Eviction_OverMaxSize_DropsLeastRecentlyUsed()
    {
        await using var ctx = new CacheTestContext();
        foreach (var name in new[] { "a", "b", "c" })
        {
            var d = Bytes(80_000, name[0]);
            await ctx.Backend.Inner.PutAsync(VfsPath.Parse(name), new MemoryStream(d), new PutOptions(d.Length), default);
        }

        var vfs = ctx.Open(ctx.Options(VfsCacheMode.Full) with { CacheMaxSize = 100_000 });
        await ReadAsync(vfs, "a");
        await ReadAsync(vfs, "b");
        await ReadAsync(vfs, "c");
        await WaitUntilAsync(() => vfs.CacheStats.CacheSize <= 100_000, "eviction down to the limit");

        var reads = ctx.Backend.BytesRead;
        Assert.Equal(Bytes(80_000, 'c'), await ReadAsync(vfs, "c"));
        Assert.Equal(reads, ctx.Backend.BytesRead);
        Assert.Equal(Bytes(80_000, 'a'), await ReadAsync(vfs, "a"));
        Assert.Equal(reads + 80_000, ctx.Backend.BytesRead);
        Assert.True(vfs.CacheStats.Evictions >= 2);
    }

    [Fact]
    public async Task Eviction_NeverTouchesDirtyOrOpenItems()
    {
        await using var ctx = new CacheTestContext();
        var clean = Bytes(30_000, 8);
        await ctx.Backend.Inner.PutAsync(VfsPath.Parse("open.bin"), new MemoryStream(clean), new PutOptions(clean.Length), default);
        await ctx.Backend.Inner.PutAsync(VfsPath.Parse("closed.bin"), new MemoryStream(clean), new PutOptions(clean.Length), default);
        ctx.Backend.PutOutage = true;
        var vfs = ctx.Open(ctx.Options(VfsCacheMode.Full) with { CacheMaxAge = TimeSpan.Zero, CacheMaxSize = 0 });
        var dirty = Bytes(20_000, 9);
        await PutAsync(vfs, "dirty.bin", dirty);
        var open = await vfs.OpenReadAsync(VfsPath.Parse("open.bin"), null, default);
        var buffer = new byte[1000];
        await open.ReadExactlyAsync(buffer);
        await ReadAsync(vfs, "closed.bin");

        await WaitUntilAsync(() => vfs.CacheStats.Evictions >= 1, "the closed clean item evicted");
        var evictionsBefore = vfs.CacheStats.Evictions;
        await WaitUntilAsync(() => vfs.CacheStats.UploadFailures >= 3, "several more polls");

        Assert.Equal(evictionsBefore, vfs.CacheStats.Evictions);
        Assert.Equal(dirty, await ReadAsync(vfs, "dirty.bin"));
        var rest = new MemoryStream();
        await open.CopyToAsync(rest);
        Assert.Equal(clean.AsSpan(1000).ToArray(), rest.ToArray());
        await open.DisposeAsync();
        await WaitUntilAsync(() => vfs.CacheStats.Evictions == evictionsBefore + 1, "the item evicted once closed");
    }

    [Fact]
    public async Task Release_InterleavedReaders_RecordKeepsRangesOfBoth()
    {
        await using var ctx = new CacheTestContext();
        var data = Bytes(400_000, 10);
        await ctx.Backend.Inner.PutAsync(VfsPath.Parse("two.bin"), new MemoryStream(data), new PutOptions(data.Length), default);
        var first = ctx.Open(ctx.Options(VfsCacheMode.Full));
        var a = await first.OpenReadAsync(VfsPath.Parse("two.bin"), new ByteRange(0, 1000), default);
        var b = await first.OpenReadAsync(VfsPath.Parse("two.bin"), new ByteRange(300_000, 1000), default);
        var bufferA = new byte[1000];
        var bufferB = new byte[1000];
        await a.ReadExactlyAsync(bufferA);
        await b.ReadExactlyAsync(bufferB);
        await b.DisposeAsync();
        await a.DisposeAsync();
        await first.StopAsync(TimeSpan.FromSeconds(5));
        var fetched = ctx.Backend.BytesRead;

        var second = ctx.Open(ctx.Options(VfsCacheMode.Full));
        Assert.Equal(data.AsSpan(0, 1000).ToArray(), await ReadAsync(second, "two.bin", new ByteRange(0, 1000)));
        Assert.Equal(data.AsSpan(300_000, 1000).ToArray(), await ReadAsync(second, "two.bin", new ByteRange(300_000, 1000)));

        Assert.Equal(data.AsSpan(0, 1000).ToArray(), bufferA);
        Assert.Equal(data.AsSpan(300_000, 1000).ToArray(), bufferB);
        Assert.Equal(fetched, ctx.Backend.BytesRead);
    }

    [Fact]
    public async Task Release_RecordWriteFails_ItemIsNoLongerOpen()
    {
        await using var ctx = new CacheTestContext();
        var data = Bytes(100_000, 11);
        await ctx.Backend.Inner.PutAsync(VfsPath.Parse("nospace.bin"), new MemoryStream(data), new PutOptions(data.Length), default);
        var vfs = ctx.Open(ctx.Options(VfsCacheMode.Full) with { CachePollInterval = TimeSpan.FromHours(1) });
        var stream = await vfs.OpenReadAsync(VfsPath.Parse("nospace.bin"), null, default);
        var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        vfs.Cache!.WriteFault = () => new IOException("No space left on device", 28);

        var e = await Assert.ThrowsAsync<VfsException>(async () => await stream.DisposeAsync());
        vfs.Cache.WriteFault = null;
        await vfs.Cache.Evictor.EvictAsync(forSpace: true);

        Assert.Equal(VfsErrorKind.InsufficientStorage, e.Kind);
        Assert.Equal(data, copy.ToArray());
        Assert.Equal(1, vfs.CacheStats.Evictions);
        Assert.Equal(0, vfs.CacheStats.CacheSize);
    }

    [Fact]
    public async Task Read_CompleteItemEvictedWhileOpen_ReaderKeepsItsBytes()
    {
        await using var ctx = new CacheTestContext();
        var v1 = Bytes(200_000, 12);
        await ctx.Backend.Inner.PutAsync(VfsPath.Parse("gone.bin"), new MemoryStream(v1), new PutOptions(v1.Length), default);
        var vfs = ctx.Open(ctx.Options(VfsCacheMode.Full) with { DirCacheTime = TimeSpan.Zero });
        Assert.Equal(v1, await ReadAsync(vfs, "gone.bin"));
        var open = await vfs.OpenReadAsync(VfsPath.Parse("gone.bin"), null, default);
        var head = new byte[1000];
        await open.ReadExactlyAsync(head);

        // A changed remote object invalidates the clean copy under the open reader.
        var v2 = Bytes(200_000, 13);
        await ctx.Backend.Inner.PutAsync(VfsPath.Parse("gone.bin"), new MemoryStream(v2), new PutOptions(v2.Length), default);
        Assert.Equal(v2, await ReadAsync(vfs, "gone.bin"));
        var rest = new MemoryStream();
        await open.CopyToAsync(rest);
        await open.DisposeAsync();

        Assert.Equal(v1.AsSpan(0, 1000).ToArray(), head);
        Assert.Equal(v1.AsSpan(1000).ToArray(), rest.ToArray());
    }
}
