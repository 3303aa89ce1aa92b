using VfsGateway.ConformanceTests.Support;
using VfsGateway.Vfs;

namespace VfsGateway.ConformanceTests;

/// <summary>Optional capabilities when the backend has them, and the Vfs fallbacks that replace them when it does not.</summary>
public abstract partial class BackendConformanceTests
{
    [Fact]
    public async Task Copy_ServerSide_CopiesAndKeepsSource()
    {
        if (Backend.Features.Copy is not { } copy)
        {
            return;
        }

        var data = Bytes(100_000);
        await PutBytesAsync("src", data);

        var entry = await copy.CopyAsync(P("src"), P("new/dir/dst"), Ct);

        Assert.Equal(P("new/dir/dst"), entry.Path);
        Assert.Equal(data.Length, entry.Size);
        Assert.Equal(data, await ReadAsync("new/dir/dst"));
        Assert.Equal(data, await ReadAsync("src"));
        Assert.Equal(["dst"], (await ListAsync("new/dir")).Select(e => e.Name));
    }

    [Fact]
    public async Task Copy_ServerSideOverExisting_Replaces()
    {
        if (Backend.Features.Copy is not { } copy)
        {
            return;
        }

        await PutBytesAsync("src", Bytes(10, seed: 1));
        await PutBytesAsync("dst", Bytes(5000, seed: 2));

        await copy.CopyAsync(P("src"), P("dst"), Ct);

        Assert.Equal(Bytes(10, seed: 1), await ReadAsync("dst"));
        Assert.Equal(["dst", "src"], (await ListAsync(string.Empty)).Select(e => e.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Copy_ServerSideMissingSource_ThrowsNotFound()
    {
        if (Backend.Features.Copy is not { } copy)
        {
            return;
        }

        await PutBytesAsync("present", Bytes(1));

        await ThrowsKindAsync(VfsErrorKind.NotFound, async () => await copy.CopyAsync(P("absent"), P("dst"), Ct));
        await ThrowsKindAsync(VfsErrorKind.NotFound, async () => await Backend.StatAsync(P("dst"), Ct));
    }

    [Fact]
    public async Task Copy_ServerSideModTime_IsPreserved()
    {
        if (Backend.Features.Copy is not { } copy || !Fixture.Supports(UnsupportedFeatures.SetModTime))
        {
            return;
        }

        var modTime = new DateTimeOffset(2010, 6, 7, 8, 9, 10, TimeSpan.Zero);
        await PutBytesAsync("src", Bytes(10), new PutOptions(10, modTime));

        await copy.CopyAsync(P("src"), P("dst"), Ct);

        AssertCloseTo(modTime, (await Backend.StatAsync(P("dst"), Ct)).ModTime);
    }

    [Fact]
    public async Task Move_ServerSide_MovesIntoNewDirectory()
    {
        if (Backend.Features.Move is not { } move)
        {
            return;
        }

        var data = Bytes(70_000);
        await PutBytesAsync("from/src", data);

        var entry = await move.MoveAsync(P("from/src"), P("to/deep/dst"), Ct);

        Assert.Equal(P("to/deep/dst"), entry.Path);
        Assert.Equal(data.Length, entry.Size);
        Assert.Equal(data, await ReadAsync("to/deep/dst"));
        await ThrowsKindAsync(VfsErrorKind.NotFound, async () => await Backend.StatAsync(P("from/src"), Ct));
    }

    [Fact]
    public async Task Move_ServerSideOverExisting_ReplacesAtomically()
    {
        if (Backend.Features.Move is not { } move)
        {
            return;
        }

        await PutBytesAsync("src", Bytes(10, seed: 1));
        await PutBytesAsync("dst", Bytes(5000, seed: 2));

        await move.MoveAsync(P("src"), P("dst"), Ct);

        Assert.Equal(Bytes(10, seed: 1), await ReadAsync("dst"));
        Assert.Equal(["dst"], (await ListAsync(string.Empty)).Select(e => e.Name));
    }

    [Fact]
    public async Task Move_ServerSideMissingSource_ThrowsNotFound()
    {
        if (Backend.Features.Move is not { } move)
        {
            return;
        }

        await PutBytesAsync("dst", Bytes(3));

        await ThrowsKindAsync(VfsErrorKind.NotFound, async () => await move.MoveAsync(P("absent"), P("dst"), Ct));
        Assert.Equal(Bytes(3), await ReadAsync("dst"));
    }

    [Fact]
    public async Task Move_ServerSideModTime_IsPreserved()
    {
        if (Backend.Features.Move is not { } move || !Fixture.Supports(UnsupportedFeatures.SetModTime))
        {
            return;
        }

        var modTime = new DateTimeOffset(2011, 6, 7, 8, 9, 10, TimeSpan.Zero);
        await PutBytesAsync("src", Bytes(10), new PutOptions(10, modTime));

        var entry = await move.MoveAsync(P("src"), P("dst"), Ct);

        AssertCloseTo(modTime, entry.ModTime);
        AssertCloseTo(modTime, (await Backend.StatAsync(P("dst"), Ct)).ModTime);
    }

    [Fact]
    public async Task CopyAndMove_WithoutCapabilities_FallBackThroughVfs()
    {
        var vfs = new VirtualFileSystem(new CapabilityHidingBackend(Backend));
        var data = Bytes(90_000);
        await PutBytesAsync("src", data);

        await vfs.CopyAsync(P("src"), P("copied/c"), Ct);
        await vfs.MoveAsync(P("copied/c"), P("moved/m"), Ct);

        Assert.Equal(data, await ReadAsync("src"));
        Assert.Equal(data, await ReadAsync("moved/m"));
        await ThrowsKindAsync(VfsErrorKind.NotFound, async () => await Backend.StatAsync(P("copied/c"), Ct));
    }

    [Fact]
    public async Task ListRecursive_Native_ReturnsWholeSubtree()
    {
        if (Backend.Features.ListRecursive is not { } recursive)
        {
            return;
        }

        await PutBytesAsync("r/a", Bytes(1));
        await PutBytesAsync("r/b/c", Bytes(2));
        await PutBytesAsync("r/b/d/e", Bytes(3));
        await PutBytesAsync("outside", Bytes(1));

        var entries = await recursive.ListRecursiveAsync(P("r"), Ct).ToListAsync(Ct);

        var files = entries.Where(e => !e.IsDirectory).Select(e => (e.Path.Value, e.Size)).Order().ToList();
        Assert.Equal([("r/a", 1L), ("r/b/c", 2L), ("r/b/d/e", 3L)], files);
        Assert.All(entries, e => Assert.True(e.Path.IsUnder(P("r")) && e.Path != P("r")));
    }

    [Fact]
    public async Task About_WhenSupported_ReportsConsistentFigures()
    {
        if (Backend.Features.About is not { } about)
        {
            return;
        }

        var info = await about.AboutAsync(Ct);

        if (info.Total is { } total)
        {
            Assert.True(total > 0);
            Assert.True(info.Free is null || info.Free <= total);
            Assert.True(info.Used is null || info.Used <= total);
        }
    }
}
