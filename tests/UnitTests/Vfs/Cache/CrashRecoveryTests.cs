using VfsGateway.Vfs;
using static VfsGateway.UnitTests.Vfs.Cache.CacheTestContext;

namespace VfsGateway.UnitTests.Vfs.Cache;

/// <summary>The first instance is abandoned without any shutdown (as if killed); a second one over the same cache directory must finish its work.</summary>
public sealed class CrashRecoveryTests
{
    [Fact]
    public async Task Crash_DuringOutage_NewInstanceUploadsEverythingByteForByte()
    {
        await using var ctx = new CacheTestContext();
        ctx.Backend.PutOutage = true;
        var first = ctx.Open(ctx.Options());
        var files = Enumerable.Range(0, 15).Select(i => ($"crash/{i % 3}/f{i}.bin", Bytes(i * 20_011, 50 + i))).ToList();
        foreach (var (path, data) in files)
        {
            await PutAsync(first, path, data);
        }

        first.AbandonForTests();
        ctx.Backend.PutOutage = false;

        var second = ctx.Open(ctx.Options());
        Assert.Equal(15, second.CacheStats.DirtyItems);
        await second.WaitForUploadsAsync(default).WaitAsync(Patience);
        foreach (var (path, data) in files)
        {
            Assert.Equal(Sha(data), Sha(await ctx.ReadBackendAsync(path)));
        }

        Assert.Empty(ctx.CacheFiles(".data"));
    }

    [Fact]
    public async Task Crash_WhileUploading_NewInstanceUploadsTheLatestVersion()
    {
        await using var ctx = new CacheTestContext();
        using var gate = new ManualResetEventSlim(false);
        ctx.Backend.PutGate = gate;
        var first = ctx.Open(ctx.Options());
        await PutAsync(first, "w.bin", Bytes(1000, 1));
        Assert.True(await ctx.Backend.PutsAtGate.WaitAsync(Patience));
        var latest = Bytes(2000, 2);
        await PutAsync(first, "w.bin", latest);
        first.AbandonForTests();
        ctx.Backend.PutGate = null;
        gate.Set();

        var second = ctx.Open(ctx.Options());
        await second.WaitForUploadsAsync(default).WaitAsync(Patience);
        await WaitUntilAsync(() => ctx.Backend.CompletedPuts.Any(p => p.Sha256 == Sha(latest)), "the latest version uploaded");
        Assert.Equal(latest, await ctx.ReadBackendAsync("w.bin"));
    }

    [Fact]
    public async Task Crash_BeforePutReturned_HalfWrittenFileIsDiscarded()
    {
        await using var ctx = new CacheTestContext();
        var first = ctx.Open(ctx.Options());
        var slow = new BlockingStream(Bytes(500_000, 3), 300_000);
        var put = first.PutAsync(VfsPath.Parse("half.bin"), slow, new PutOptions(500_000), default).AsTask();
        await slow.Blocked.Task.WaitAsync(Patience);
        Assert.Single(ctx.CacheFiles(".data"));
        first.AbandonForTests();

        // Debris of other crashes: an orphan data file and a record that never got renamed into place.
        var itemDir = Path.GetDirectoryName(ctx.CacheFiles(".data").Single())!;
        await File.WriteAllBytesAsync(Path.Combine(itemDir, new string('a', 64) + ".7.data"), Bytes(100, 4));
        await File.WriteAllTextAsync(Path.Combine(itemDir, new string('b', 64) + ".json.tmp-0011223344556677"), "{\"path\":\"x\"");

        var second = ctx.Open(ctx.Options());
        Assert.Equal(0, second.CacheStats.DirtyItems);
        Assert.Empty(ctx.CacheFiles(".data"));
        Assert.Empty(Directory.EnumerateFiles(itemDir, "*tmp*"));
        await PutAsync(second, "after.bin", Bytes(10, 5));
        await second.WaitForUploadsAsync(default).WaitAsync(Patience);
        Assert.False(await ctx.BackendHasAsync("half.bin"));
        Assert.DoesNotContain(ctx.Backend.CompletedPuts, p => p.Path == "half.bin");

        slow.Release();
        await Assert.ThrowsAnyAsync<Exception>(() => put);
    }

    [Fact]
    public async Task Crash_DamagedCacheFile_IsNeverUploaded()
    {
        await using var ctx = new CacheTestContext();
        ctx.Backend.PutOutage = true;
        var first = ctx.Open(ctx.Options());
        await PutAsync(first, "rot.bin", Bytes(70_000, 6));
        first.AbandonForTests();
        var dataFile = ctx.CacheFiles(".data").Single();
        var bytes = await File.ReadAllBytesAsync(dataFile);
        bytes[12_345] ^= 0xFF;
        await File.WriteAllBytesAsync(dataFile, bytes);
        ctx.Backend.PutOutage = false;

        var second = ctx.Open(ctx.Options());
        await WaitUntilAsync(() => second.CacheStats.UploadFailures >= 2, "the damaged upload refused");

        Assert.False(await ctx.BackendHasAsync("rot.bin"));
        Assert.Contains(ctx.Logger.Lines, l => l.Message.Contains("damaged", StringComparison.Ordinal));
    }
}
