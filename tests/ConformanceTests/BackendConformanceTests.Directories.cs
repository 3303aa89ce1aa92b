using VfsGateway.Vfs;

namespace VfsGateway.ConformanceTests;

/// <summary>Directories and deletion.</summary>
public abstract partial class BackendConformanceTests
{
    [Fact]
    public async Task Mkdir_Empty_IsListedAndStattable()
    {
        if (!Backend.Features.CanHaveEmptyDirectories)
        {
            return;
        }

        await Backend.MkdirAsync(P("empty"), Ct);

        var listed = Assert.Single(await ListAsync(string.Empty));
        Assert.True(listed.IsDirectory);
        Assert.Equal("empty", listed.Name);
        Assert.Empty(await ListAsync("empty"));
        Assert.True((await Backend.StatAsync(P("empty"), Ct)).IsDirectory);
    }

    [Fact]
    public async Task Mkdir_Twice_IsIdempotent()
    {
        await Backend.MkdirAsync(P("x/y/z"), Ct);
        await Backend.MkdirAsync(P("x/y/z"), Ct);
        await Backend.MkdirAsync(P("x/y"), Ct);

        if (Backend.Features.CanHaveEmptyDirectories)
        {
            Assert.Equal("z", Assert.Single(await ListAsync("x/y")).Name);
        }
    }

    [Fact]
    public async Task Mkdir_ExistingDirWithFiles_KeepsThem()
    {
        await PutBytesAsync("d/f", Bytes(4));

        await Backend.MkdirAsync(P("d"), Ct);

        Assert.Equal(Bytes(4), await ReadAsync("d/f"));
    }

    [Fact]
    public async Task Mkdir_BelowAFile_Throws()
    {
        if (BucketBased)
        {
            return;
        }

        await PutBytesAsync("file", Bytes(1));

        var e = await Assert.ThrowsAsync<VfsException>(async () => await Backend.MkdirAsync(P("file/sub"), Ct));
        Assert.Contains(e.Kind, new[] { VfsErrorKind.NotDirectory, VfsErrorKind.AlreadyExists });
        Assert.Equal(Bytes(1), await ReadAsync("file"));
    }

    [Fact]
    public async Task Rmdir_Empty_RemovesIt()
    {
        if (!Backend.Features.CanHaveEmptyDirectories)
        {
            return;
        }

        await PutBytesAsync("keep", Bytes(1));
        await Backend.MkdirAsync(P("gone"), Ct);

        await Backend.RmdirAsync(P("gone"), Ct);

        Assert.Equal(["keep"], (await ListAsync(string.Empty)).Select(e => e.Name));
        await ThrowsKindAsync(VfsErrorKind.NotFound, async () => await Backend.StatAsync(P("gone"), Ct));
    }

    [Fact]
    public async Task Rmdir_NonEmpty_ThrowsDirNotEmpty()
    {
        await PutBytesAsync("full/file", Bytes(1));

        await ThrowsKindAsync(VfsErrorKind.DirNotEmpty, async () => await Backend.RmdirAsync(P("full"), Ct));

        Assert.Equal(Bytes(1), await ReadAsync("full/file"));
    }

    [Fact]
    public async Task Rmdir_WithSubdirectory_ThrowsDirNotEmpty()
    {
        if (!Backend.Features.CanHaveEmptyDirectories)
        {
            return;
        }

        await Backend.MkdirAsync(P("outer/inner"), Ct);

        await ThrowsKindAsync(VfsErrorKind.DirNotEmpty, async () => await Backend.RmdirAsync(P("outer"), Ct));
    }

    [Fact]
    public async Task Rmdir_Missing_ThrowsDirNotFound()
    {
        if (BucketBased)
        {
            return;
        }

        await PutBytesAsync("present", Bytes(1));

        await ThrowsKindAsync(VfsErrorKind.DirNotFound, async () => await Backend.RmdirAsync(P("absent"), Ct));
    }

    [Fact]
    public async Task Rmdir_File_ThrowsNotDirectory()
    {
        if (BucketBased)
        {
            return;
        }

        await PutBytesAsync("file", Bytes(1));

        await ThrowsKindAsync(VfsErrorKind.NotDirectory, async () => await Backend.RmdirAsync(P("file"), Ct));
        Assert.Equal(Bytes(1), await ReadAsync("file"));
    }

    [Fact]
    public async Task Delete_File_RemovesOnlyIt()
    {
        await PutBytesAsync("d/a", Bytes(1));
        await PutBytesAsync("d/b", Bytes(2));

        await Backend.DeleteAsync(P("d/a"), Ct);

        await ThrowsKindAsync(VfsErrorKind.NotFound, async () => await Backend.StatAsync(P("d/a"), Ct));
        Assert.Equal(["b"], (await ListAsync("d")).Select(e => e.Name));
    }

    [Fact]
    public async Task Delete_Missing_ThrowsNotFound()
    {
        await PutBytesAsync("present", Bytes(1));

        await ThrowsKindAsync(VfsErrorKind.NotFound, async () => await Backend.DeleteAsync(P("absent"), Ct));
        await ThrowsKindAsync(VfsErrorKind.NotFound, async () => await Backend.DeleteAsync(P("no/such/file"), Ct));
    }

    [Fact]
    public async Task Delete_Directory_ThrowsIsDirectory()
    {
        if (BucketBased)
        {
            return;
        }

        await PutBytesAsync("dir/child", Bytes(1));

        await ThrowsKindAsync(VfsErrorKind.IsDirectory, async () => await Backend.DeleteAsync(P("dir"), Ct));
        Assert.Equal(Bytes(1), await ReadAsync("dir/child"));
    }

    [Fact]
    public async Task Delete_LastFile_ThenRmdirEmptiesTree()
    {
        await PutBytesAsync("p/q/file", Bytes(1));

        await Backend.DeleteAsync(P("p/q/file"), Ct);
        if (!BucketBased)
        {
            await Backend.RmdirAsync(P("p/q"), Ct);
            await Backend.RmdirAsync(P("p"), Ct);
        }

        Assert.Empty(await ListAsync(string.Empty));
    }
}
