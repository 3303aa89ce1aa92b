using VfsGateway.ConformanceTests.Support;
using VfsGateway.Vfs;

namespace VfsGateway.ConformanceTests;

/// <summary>Directories and deletion.</summary>
public abstract partial class BackendConformanceTests
{
    [ConformanceFact]
    public async Task Mkdir_Empty_IsListedAndStattable()
    {
        if (!Backend.Features.CanHaveEmptyDirectories)
        {
            throw new SkipException("the backend cannot have empty directories");
        }

        await Backend.MkdirAsync(P("empty"), Ct);

        var listed = Assert.Single(await ListAsync(string.Empty));
        Assert.True(listed.IsDirectory);
        Assert.Equal("empty", listed.Name);
        Assert.Empty(await ListAsync("empty"));
        Assert.True((await Backend.StatAsync(P("empty"), Ct)).IsDirectory);
    }

    [ConformanceFact]
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

    [ConformanceFact]
    public async Task Mkdir_ExistingDirWithFiles_KeepsThem()
    {
        await PutBytesAsync("d/f", Bytes(4));

        await Backend.MkdirAsync(P("d"), Ct);

        Assert.Equal(Bytes(4), await ReadAsync("d/f"));
    }

    [ConformanceFact]
    public async Task Mkdir_BelowAFile_Throws()
    {
        if (BucketBased)
        {
            throw new SkipException("bucket-based backends have no real directories");
        }

        await PutBytesAsync("file", Bytes(1));

        var e = await Assert.ThrowsAsync<VfsException>(async () => await Backend.MkdirAsync(P("file/sub"), Ct));
        Assert.Contains(e.Kind, new[] { VfsErrorKind.NotDirectory, VfsErrorKind.AlreadyExists });
        Assert.Equal(Bytes(1), await ReadAsync("file"));
    }

    [ConformanceFact]
    public async Task Rmdir_Empty_RemovesIt()
    {
        if (!Backend.Features.CanHaveEmptyDirectories)
        {
            throw new SkipException("the backend cannot have empty directories");
        }

        await PutBytesAsync("keep", Bytes(1));
        await Backend.MkdirAsync(P("gone"), Ct);

        await Backend.RmdirAsync(P("gone"), Ct);

        Assert.Equal(["keep"], (await ListAsync(string.Empty)).Select(e => e.Name));
        await ThrowsKindAsync(VfsErrorKind.NotFound, async () => await Backend.StatAsync(P("gone"), Ct));
    }

    [ConformanceFact]
    public async Task Rmdir_NonEmpty_ThrowsDirNotEmpty()
    {
        await PutBytesAsync("full/file", Bytes(1));

        await ThrowsKindAsync(VfsErrorKind.DirNotEmpty, async () => await Backend.RmdirAsync(P("full"), Ct));

        Assert.Equal(Bytes(1), await ReadAsync("full/file"));
    }

    [ConformanceFact]
    public async Task Rmdir_WithSubdirectory_ThrowsDirNotEmpty()
    {
        if (!Backend.Features.CanHaveEmptyDirectories)
        {
            throw new SkipException("the backend cannot have empty directories");
        }

        await Backend.MkdirAsync(P("outer/inner"), Ct);

        await ThrowsKindAsync(VfsErrorKind.DirNotEmpty, async () => await Backend.RmdirAsync(P("outer"), Ct));
    }

    [ConformanceFact]
    public async Task Rmdir_Missing_ThrowsDirNotFound()
    {
        if (BucketBased)
        {
            throw new SkipException("bucket-based backends have no real directories");
        }

        await PutBytesAsync("present", Bytes(1));

        await ThrowsKindAsync(VfsErrorKind.DirNotFound, async () => await Backend.RmdirAsync(P("absent"), Ct));
    }

    [ConformanceFact]
    public async Task Rmdir_File_ThrowsNotDirectory()
    {
        if (BucketBased)
        {
            throw new SkipException("bucket-based backends have no real directories");
        }

        await PutBytesAsync("file", Bytes(1));

        await ThrowsKindAsync(VfsErrorKind.NotDirectory, async () => await Backend.RmdirAsync(P("file"), Ct));
        Assert.Equal(Bytes(1), await ReadAsync("file"));
    }

    [ConformanceFact]
    public async Task Delete_File_RemovesOnlyIt()
    {
        await PutBytesAsync("d/a", Bytes(1));
        await PutBytesAsync("d/b", Bytes(2));

        await Backend.DeleteAsync(P("d/a"), Ct);

        await ThrowsKindAsync(VfsErrorKind.NotFound, async () => await Backend.StatAsync(P("d/a"), Ct));
        Assert.Equal(["b"], (await ListAsync("d")).Select(e => e.Name));
    }

    [ConformanceFact]
    public async Task Delete_Missing_ThrowsNotFound()
    {
        await PutBytesAsync("present", Bytes(1));

        await ThrowsKindAsync(VfsErrorKind.NotFound, async () => await Backend.DeleteAsync(P("absent"), Ct));
        await ThrowsKindAsync(VfsErrorKind.NotFound, async () => await Backend.DeleteAsync(P("no/such/file"), Ct));
    }

    [ConformanceFact]
    public async Task Delete_Directory_ThrowsIsDirectory()
    {
        if (BucketBased)
        {
            throw new SkipException("bucket-based backends have no real directories");
        }

        await PutBytesAsync("dir/child", Bytes(1));

        await ThrowsKindAsync(VfsErrorKind.IsDirectory, async () => await Backend.DeleteAsync(P("dir"), Ct));
        Assert.Equal(Bytes(1), await ReadAsync("dir/child"));
    }

    [ConformanceFact]
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

    [ConformanceFact]
    public async Task BucketKeys_ObjectNextToPrefix_AndDirectoryKeyWithContent_AreIndependent()
    {
        if (!BucketBased || !Fixture.Supports(UnsupportedFeatures.IndependentKeys))
        {
            throw new SkipException("only bucket-based storage keeps keys independent of each other");
        }

        var dirKey = P("d").AsDirectoryKey();
        await PutBytesAsync("a", Bytes(3, 1));
        await PutBytesAsync("a/b", Bytes(4, 2));
        await PutBytesAsync("d/x", Bytes(5, 3));
        using (var content = new MemoryStream(Bytes(6, 4)))
        {
            var stored = await Backend.PutAsync(dirKey, content, new PutOptions(6), Ct);
            Assert.Equal((dirKey, 6L, false), (stored.Path, stored.Size, stored.IsDirectory));
        }

        var top = await Backend.ListAsync(VfsPath.Root, Ct).ToListAsync(Ct);
        Assert.Equal(["a", "a/", "d/"], top.Select(e => e.Name + (e.IsDirectory ? "/" : string.Empty)).Order(StringComparer.Ordinal).ToArray());
        var inD = await Backend.ListAsync(P("d"), Ct).ToListAsync(Ct);
        var own = Assert.Single(inD, e => e.Path.IsDirectoryKey);
        Assert.Equal((dirKey, string.Empty, 6L), (own.Path, own.Name, own.Size));
        Assert.Equal(["x"], inD.Where(e => !e.Path.IsDirectoryKey).Select(e => e.Name).ToArray());

        Assert.Equal(3, (await Backend.StatAsync(P("a"), Ct)).Size);
        if (Fixture.Supports(UnsupportedFeatures.TruncatedListingOfFolderKeys))
        {
            Assert.True((await Backend.StatAsync(P("d"), Ct)).IsDirectory);
        }

        Assert.Equal(6, (await Backend.StatAsync(dirKey, Ct)).Size);
        Assert.Equal(Bytes(3, 1), await ReadAsync("a"));
        Assert.Equal(Bytes(4, 2), await ReadAsync("a/b"));
        Assert.Equal(Bytes(6, 4), await ReadAsync(Backend.OpenReadAsync(dirKey, null, Ct)));

        await Backend.DeleteAsync(P("a"), Ct);
        await Backend.DeleteAsync(dirKey, Ct);
        await ThrowsKindAsync(VfsErrorKind.NotFound, async () => await Backend.StatAsync(dirKey, Ct));
        Assert.Equal(Bytes(4, 2), await ReadAsync("a/b"));
        Assert.Equal(Bytes(5, 3), await ReadAsync("d/x"));
        Assert.DoesNotContain(await Backend.ListAsync(P("d"), Ct).ToListAsync(Ct), e => e.Path.IsDirectoryKey);
    }
}
