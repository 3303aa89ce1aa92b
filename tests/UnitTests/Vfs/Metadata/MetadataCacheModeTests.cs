using VfsGateway.UnitTests.Vfs.Cache;
using VfsGateway.Vfs;
using VfsGateway.Vfs.Metadata;
using static VfsGateway.UnitTests.Vfs.Cache.CacheTestContext;
using static VfsGateway.UnitTests.Vfs.Metadata.MetadataStoreTests;

namespace VfsGateway.UnitTests.Vfs.Metadata;

/// <summary>Metadata in cache modes writes and full: it travels with the cached write and is stored when the upload lands.</summary>
public sealed class MetadataCacheModeTests
{
    [Theory]
    [InlineData(VfsCacheMode.Writes)]
    [InlineData(VfsCacheMode.Full)]
    public async Task Put_BeforeAndAfterUpload_MetadataIsVisibleAndSurvivesRestart(VfsCacheMode mode)
    {
        await using var ctx = new CacheTestContext();
        ctx.Backend.PutOutage = true;
        var vfs = ctx.Open(ctx.Options(mode));

        var pending = await MetadataStoreTests.PutAsync(vfs, "b/obj", 100, Sample("\"md5\""));

        Assert.Equal("\"md5\"", (await vfs.GetMetadataAsync(pending, default))?.ETag);
        Assert.False(await ExistsAsync(ctx.Backend.Inner, P(".gateway-meta/b/obj")));

        ctx.Backend.PutOutage = false;
        await vfs.WaitForUploadsAsync(default).WaitAsync(Patience);
        var fresh = new VirtualFileSystem(ctx.Backend.Inner);
        var landed = await fresh.StatAsync(P("b/obj"), default);

        Assert.Equal("\"md5\"", (await fresh.GetMetadataAsync(landed, default))?.ETag);
        Assert.Equal("\"md5\"", (await vfs.GetMetadataAsync(await vfs.StatAsync(P("b/obj"), default), default))?.ETag);
    }

    [Fact]
    public async Task Crash_BeforeUpload_NextInstanceStoresTheMetadata()
    {
        await using var ctx = new CacheTestContext();
        ctx.Backend.PutOutage = true;
        var first = ctx.Open(ctx.Options());
        await MetadataStoreTests.PutAsync(first, "b/obj", 100, Sample("\"survivor\""));
        first.AbandonForTests();
        ctx.Backend.PutOutage = false;

        var second = ctx.Open(ctx.Options());
        Assert.Equal("\"survivor\"", (await second.GetMetadataAsync(await second.StatAsync(P("b/obj"), default), default))?.ETag);
        await second.WaitForUploadsAsync(default).WaitAsync(Patience);
        var fresh = new VirtualFileSystem(ctx.Backend.Inner);

        Assert.Equal("\"survivor\"", (await fresh.GetMetadataAsync(await fresh.StatAsync(P("b/obj"), default), default))?.ETag);
    }

    [Fact]
    public async Task Put_WithoutMetadata_UploadsNoRecord()
    {
        await using var ctx = new CacheTestContext();
        var vfs = ctx.Open(ctx.Options());

        await PutAsync(vfs, "repo/data/ab", Bytes(10, 1));
        await vfs.WaitForUploadsAsync(default).WaitAsync(Patience);

        Assert.True(await ctx.BackendHasAsync("repo/data/ab"));
        Assert.False(await ExistsAsync(ctx.Backend.Inner, P(".gateway-meta")));
    }

    [Fact]
    public async Task Put_ProviderThrows_NothingIsCommitted()
    {
        await using var ctx = new CacheTestContext();
        var vfs = ctx.Open(ctx.Options());
        var options = new PutOptions(5) { ObjectMetadataProvider = _ => throw new InvalidDataException("trailer checksum mismatch") };

        await Assert.ThrowsAsync<InvalidDataException>(async () => await vfs.PutAsync(P("b/obj"), new MemoryStream(new byte[5]), options, default));

        Assert.Equal(0, vfs.CacheStats.DirtyItems);
        Assert.Empty(ctx.CacheFiles(".data"));
        Assert.Equal(VfsErrorKind.NotFound, (await Assert.ThrowsAsync<VfsException>(async () => await vfs.StatAsync(P("b/obj"), default))).Kind);
    }

    [Fact]
    public async Task Put_NewerWriteWithoutMetadata_HidesOlderMetadata()
    {
        await using var ctx = new CacheTestContext();
        var vfs = ctx.Open(ctx.Options());
        await MetadataStoreTests.PutAsync(vfs, "b/obj", 5, Sample("\"first\""));
        await vfs.WaitForUploadsAsync(default).WaitAsync(Patience);
        ctx.Backend.PutOutage = true;

        var second = await PutAsync(vfs, "b/obj", Bytes(7, 2));

        Assert.Null(await vfs.GetMetadataAsync(second, default));
    }
}
