using Microsoft.Extensions.Logging;
using VfsGateway.Vfs;
using static VfsGateway.UnitTests.Vfs.Cache.CacheTestContext;

namespace VfsGateway.UnitTests.Vfs.Cache;

public sealed class WriteBackTests
{
    [Fact]
    public async Task Put_WritesMode_AcknowledgedBeforeUploadAndReadable()
    {
        await using var ctx = new CacheTestContext();
        ctx.Backend.PutOutage = true;
        var vfs = ctx.Open(ctx.Options());
        var data = Bytes(150_000, 1);

        var entry = await PutAsync(vfs, "dir/a.bin", data);

        Assert.Equal(150_000, entry.Size);
        Assert.False(await ctx.BackendHasAsync("dir/a.bin"));
        Assert.Equal(data, await ReadAsync(vfs, "dir/a.bin"));
        Assert.Equal(data.AsSpan(1000, 500).ToArray(), await ReadAsync(vfs, "dir/a.bin", new ByteRange(1000, 500)));
        Assert.Equal(150_000, (await vfs.StatAsync(VfsPath.Parse("dir/a.bin"), default)).Size);
        var listed = new List<Entry>();
        await foreach (var e in vfs.ListAsync(VfsPath.Parse("dir"), default))
        {
            listed.Add(e);
        }

        Assert.Equal(150_000, Assert.Single(listed).Size);
        Assert.Equal(1, vfs.CacheStats.DirtyItems);
        Assert.Equal(150_000, vfs.CacheStats.BytesWaiting);
        Assert.Single(ctx.CacheFiles(".json"));
    }

    [Fact]
    public async Task Outage_WritesAcknowledgedDuringIt_AllArriveAfterIt()
    {
        await using var ctx = new CacheTestContext();
        ctx.Backend.PutOutage = true;
        var vfs = ctx.Open(ctx.Options());
        var files = Enumerable.Range(0, 12).Select(i => ($"out/f{i}.bin", Bytes(5000 + (i * 3001), i))).ToList();
        foreach (var (path, data) in files)
        {
            await PutAsync(vfs, path, data);
        }

        await WaitUntilAsync(() => vfs.CacheStats.UploadFailures >= 24, "uploads failing during the outage");
        Assert.Equal(12, vfs.CacheStats.DirtyItems);
        Assert.Contains(ctx.Logger.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains("injected outage", StringComparison.Ordinal) && l.Message.Contains("out/f", StringComparison.Ordinal));

        ctx.Backend.PutOutage = false;
        await vfs.WaitForUploadsAsync(default).WaitAsync(Patience);

        foreach (var (path, data) in files)
        {
            Assert.Equal(data, await ctx.ReadBackendAsync(path));
        }

        Assert.Equal(0, vfs.CacheStats.DirtyItems);
        Assert.Equal(0, vfs.CacheStats.BytesWaiting);
        Assert.Equal(0, vfs.CacheStats.CacheSize);
        Assert.Empty(ctx.CacheFiles(".data"));
        Assert.Contains(ctx.Logger.Lines, l => l.Message.Contains("drained", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NewWrite_WhileQueued_SupersedesTheOldOne()
    {
        await using var ctx = new CacheTestContext();
        ctx.Backend.PutOutage = true;
        var vfs = ctx.Open(ctx.Options());
        var v1 = Bytes(30_000, 1);
        var v2 = Bytes(20_000, 2);
        await PutAsync(vfs, "s.bin", v1);
        await WaitUntilAsync(() => vfs.CacheStats.UploadFailures >= 1, "a failed attempt of v1");
        await PutAsync(vfs, "s.bin", v2);
        Assert.Equal(v2, await ReadAsync(vfs, "s.bin"));
        Assert.Equal(1, vfs.CacheStats.DirtyItems);
        Assert.Equal(20_000, vfs.CacheStats.BytesWaiting);

        ctx.Backend.PutOutage = false;
        await vfs.WaitForUploadsAsync(default).WaitAsync(Patience);

        Assert.Equal(v2, await ctx.ReadBackendAsync("s.bin"));
        Assert.DoesNotContain(ctx.Backend.CompletedPuts, p => p.Sha256 == Sha(v1));
        Assert.Empty(ctx.CacheFiles(".data"));
    }

    [Fact]
    public async Task NewWrite_WhileUploading_StaleUploadNeverLandsAfterIt()
    {
        await using var ctx = new CacheTestContext();
        using var gate = new ManualResetEventSlim(false);
        ctx.Backend.PutGate = gate;
        var vfs = ctx.Open(ctx.Options());
        var v1 = Bytes(40_000, 1);
        var v2 = Bytes(41_000, 2);
        await PutAsync(vfs, "u.bin", v1);
        Assert.True(await ctx.Backend.PutsAtGate.WaitAsync(Patience), "the upload of v1 started");

        await PutAsync(vfs, "u.bin", v2);
        ctx.Backend.PutGate = null;
        gate.Set();
        await vfs.WaitForUploadsAsync(default).WaitAsync(Patience);

        Assert.Equal(v2, await ctx.ReadBackendAsync("u.bin"));
        var puts = ctx.Backend.CompletedPuts.Where(p => p.Path == "u.bin").ToList();
        Assert.Equal(Sha(v2), puts[^1].Sha256);
    }

    [Fact]
    public async Task Delete_OfQueuedWrite_CancelsTheUpload()
    {
        await using var ctx = new CacheTestContext();
        ctx.Backend.PutOutage = true;
        var vfs = ctx.Open(ctx.Options());
        await PutAsync(vfs, "del/x.bin", Bytes(10_000, 3));
        await PutAsync(vfs, "del/keep.bin", Bytes(10_000, 4));
        await WaitUntilAsync(() => vfs.CacheStats.UploadFailures >= 2, "failed attempts");

        await vfs.DeleteAsync(VfsPath.Parse("del/x.bin"), default);

        await Assert.ThrowsAsync<VfsException>(async () => await vfs.StatAsync(VfsPath.Parse("del/x.bin"), default));
        Assert.Equal(1, vfs.CacheStats.DirtyItems);
        ctx.Backend.PutOutage = false;
        await vfs.WaitForUploadsAsync(default).WaitAsync(Patience);

        // keep.bin was queued with x.bin; once it is in, a surviving x.bin entry would have had every chance too.
        Assert.True(await ctx.BackendHasAsync("del/keep.bin"));
        Assert.False(await ctx.BackendHasAsync("del/x.bin"));
        Assert.DoesNotContain(ctx.Backend.CompletedPuts, p => p.Path == "del/x.bin");
    }

    [Fact]
    public async Task Delete_DuringUpload_CancelsAndRemovesIt()
    {
        await using var ctx = new CacheTestContext();
        using var gate = new ManualResetEventSlim(false);
        ctx.Backend.PutGate = gate;
        var vfs = ctx.Open(ctx.Options());
        await PutAsync(vfs, "dd.bin", Bytes(10_000, 5));
        Assert.True(await ctx.Backend.PutsAtGate.WaitAsync(Patience));

        var delete = vfs.DeleteAsync(VfsPath.Parse("dd.bin"), default).AsTask();
        gate.Set();
        await delete.WaitAsync(Patience);

        Assert.False(await ctx.BackendHasAsync("dd.bin"));
        Assert.Equal(0, vfs.CacheStats.DirtyItems);
    }

    [Fact]
    public async Task Stop_DuringOutage_KeepsQueueForNextStart()
    {
        await using var ctx = new CacheTestContext();
        ctx.Backend.PutOutage = true;
        var first = ctx.Open(ctx.Options());
        var data = Bytes(77_777, 6);
        await PutAsync(first, "stop/a.bin", data);
        await first.StopAsync(TimeSpan.FromMilliseconds(100));
        Assert.Contains(ctx.Logger.Lines, l => l.Message.Contains("still queued", StringComparison.Ordinal));
        await Assert.ThrowsAsync<VfsException>(() => PutAsync(first, "stop/late.bin", data));

        ctx.Backend.PutOutage = false;
        var second = ctx.Open(ctx.Options());
        Assert.Equal(1, second.CacheStats.DirtyItems);
        await second.WaitForUploadsAsync(default).WaitAsync(Patience);
        Assert.Equal(data, await ctx.ReadBackendAsync("stop/a.bin"));
    }

    [Fact]
    public async Task SecondInstance_SameCacheDir_FailsWithClearMessage()
    {
        await using var ctx = new CacheTestContext();
        ctx.Open(ctx.Options());
        var e = Assert.Throws<VfsException>(() => ctx.Open(ctx.Options()));
        Assert.Equal(VfsErrorKind.AlreadyExists, e.Kind);
        Assert.Contains("in use by another gateway process", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DiskFull_EvenAfterEviction_ThrowsInsufficientStorage()
    {
        await using var ctx = new CacheTestContext();
        var vfs = ctx.Open(ctx.Options());
        vfs.Cache!.WriteFault = () => new IOException("No space left on device", 28);

        var e = await Assert.ThrowsAsync<VfsException>(() => PutAsync(vfs, "full.bin", Bytes(1000, 7)));

        Assert.Equal(VfsErrorKind.InsufficientStorage, e.Kind);
        Assert.Empty(ctx.CacheFiles(".data"));
        Assert.Empty(ctx.CacheFiles(".json"));
        Assert.Equal(0, vfs.CacheStats.DirtyItems);
    }

    [Fact]
    public async Task DiskFull_Once_EvictsAndRetriesSuccessfully()
    {
        await using var ctx = new CacheTestContext();
        var vfs = ctx.Open(ctx.Options());
        var faults = 1;
        vfs.Cache!.WriteFault = () => Interlocked.Decrement(ref faults) >= 0 ? new IOException("No space left on device", 28) : null;
        var data = Bytes(1000, 8);

        await PutAsync(vfs, "once.bin", data);

        await vfs.WaitForUploadsAsync(default).WaitAsync(Patience);
        Assert.Equal(data, await ctx.ReadBackendAsync("once.bin"));
    }

    [Fact]
    public async Task Put_UnderDirtyFile_ThrowsNotDirectory()
    {
        await using var ctx = new CacheTestContext();
        ctx.Backend.PutOutage = true;
        var vfs = ctx.Open(ctx.Options());
        await PutAsync(vfs, "f", Bytes(10, 9));
        var e = await Assert.ThrowsAsync<VfsException>(() => PutAsync(vfs, "f/child", Bytes(10, 9)));
        Assert.Equal(VfsErrorKind.NotDirectory, e.Kind);
        var d = await Assert.ThrowsAsync<VfsException>(() => PutAsync(vfs, "", Bytes(10, 9)));
        Assert.Equal(VfsErrorKind.Invalid, d.Kind);
    }
}
