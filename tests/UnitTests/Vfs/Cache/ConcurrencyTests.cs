using VfsGateway.Vfs;
using static VfsGateway.UnitTests.Vfs.Cache.CacheTestContext;

namespace VfsGateway.UnitTests.Vfs.Cache;

public sealed class ConcurrencyTests
{
    [Fact]
    public async Task ParallelWrites_SamePath_BackendEndsWithWhatReadersSaw()
    {
        await using var ctx = new CacheTestContext();
        var vfs = ctx.Open(ctx.Options() with { WriteBack = TimeSpan.Zero });
        var versions = Enumerable.Range(0, 16).Select(i => Bytes(10_000 + (i * 1000), i)).ToList();

        await Task.WhenAll(versions.Select(v => Task.Run(() => PutAsync(vfs, "same.bin", v))));
        var seen = await ReadAsync(vfs, "same.bin");
        await vfs.WaitForUploadsAsync(default).WaitAsync(Patience);

        Assert.Contains(versions, v => v.AsSpan().SequenceEqual(seen));
        Assert.Equal(seen, await ctx.ReadBackendAsync("same.bin"));
        Assert.Equal(Sha(seen), ctx.Backend.CompletedPuts.Last(p => p.Path == "same.bin").Sha256);
        Assert.Empty(ctx.CacheFiles(".data"));
    }

    [Fact]
    public async Task ParallelReads_FullMode_AllSeeTheSameBytesAndFetchOnce()
    {
        await using var ctx = new CacheTestContext();
        var data = Bytes(900_000, 42);
        await ctx.Backend.Inner.PutAsync(VfsPath.Parse("shared.bin"), new MemoryStream(data), new PutOptions(data.Length), default);
        var vfs = ctx.Open(ctx.Options(VfsCacheMode.Full));

        var reads = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => ReadAsync(vfs, "shared.bin", new ByteRange(i * 50_000)))));

        for (var i = 0; i < reads.Length; i++)
        {
            Assert.Equal(data.AsSpan(i * 50_000).ToArray(), reads[i]);
        }

        Assert.Equal(data.Length, ctx.Backend.BytesRead);
    }

    [Fact]
    public async Task WritesAndDeletes_Interleaved_EndConsistent()
    {
        await using var ctx = new CacheTestContext();
        var vfs = ctx.Open(ctx.Options() with { WriteBack = TimeSpan.Zero });
        var tasks = new List<Task>();
        for (var i = 0; i < 20; i++)
        {
            var n = i;
            tasks.Add(Task.Run(async () =>
            {
                await PutAsync(vfs, $"mix/{n % 5}.bin", Bytes(5000, n));
                if (n % 3 == 0)
                {
                    try
                    {
                        await vfs.DeleteAsync(VfsPath.Parse($"mix/{n % 5}.bin"), default);
                    }
                    catch (VfsException e) when (e.Kind == VfsErrorKind.NotFound)
                    {
                    }
                }
            }));
        }

        await Task.WhenAll(tasks);
        var expected = new Dictionary<string, byte[]?>();
        for (var k = 0; k < 5; k++)
        {
            try
            {
                expected[$"mix/{k}.bin"] = await ReadAsync(vfs, $"mix/{k}.bin");
            }
            catch (VfsException e) when (e.Kind == VfsErrorKind.NotFound)
            {
                expected[$"mix/{k}.bin"] = null;
            }
        }

        await vfs.WaitForUploadsAsync(default).WaitAsync(Patience);
        foreach (var (path, data) in expected)
        {
            if (data is null)
            {
                Assert.False(await ctx.BackendHasAsync(path), path);
            }
            else
            {
                Assert.Equal(data, await ctx.ReadBackendAsync(path));
            }
        }
    }
}
