using VfsGateway.Backends.Local;
using VfsGateway.Vfs;
using VfsGateway.Vfs.Metadata;
using static VfsGateway.UnitTests.Vfs.Metadata.MetadataStoreTests;

namespace VfsGateway.UnitTests.Backends.Local;

/// <summary>
/// Issue 8 §4: the local backend keeps object metadata in a user extended attribute of the file
/// (set on the temp file before the rename), reads the sidecar records an earlier version wrote
/// and migrates them on the next write. Runs on Linux file systems with user xattrs (ext4 here).
/// </summary>
public sealed class LocalXattrMetadataTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "vfs-xattr-" + Guid.NewGuid().ToString("N"));

    public LocalXattrMetadataTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Features_XattrsAvailable_MetadataIsNative_FlagForcesSidecar()
    {
        Assert.NotNull(new LocalBackend(new LocalOptions(_root)).Features.Metadata);
        Assert.Null(new LocalBackend(new LocalOptions(_root) { NoXattr = true }).Features.Metadata);

        // The startup probe leaves nothing behind.
        Assert.Empty(Directory.EnumerateFileSystemEntries(_root));
    }

    [Fact]
    public async Task PutAsync_WithMetadata_StoresItOnTheFileAndNoSidecar()
    {
        var backend = new LocalBackend(new LocalOptions(_root));
        var entry = await PutAsync(new VirtualFileSystem(backend), "b/dir/obj", 5, Sample("\"1\""));

        Assert.False(Directory.Exists(Path.Combine(_root, MetadataCodec.SidecarRootName)));
        Assert.NotNull(LocalXattr.Get(Path.Combine(_root, "b", "dir", "obj"), LocalBackend.MetadataAttribute, out _));
        Assert.Equal(["obj"], Directory.EnumerateFileSystemEntries(Path.Combine(_root, "b", "dir")).Select(Path.GetFileName));
        var metadata = await new VirtualFileSystem(new LocalBackend(new LocalOptions(_root))).GetMetadataAsync(entry, default);
        Assert.Equal("\"1\"", metadata?.ETag);
        Assert.Equal("v1", metadata?.UserMetadata["k1"]);
    }

    [Fact]
    public async Task PutAsync_OverwriteWithoutMetadata_DropsTheOldMetadata()
    {
        var backend = new LocalBackend(new LocalOptions(_root));
        var vfs = new VirtualFileSystem(backend);
        await PutAsync(vfs, "b/obj", 5, Sample("\"1\""));

        var plain = await PutAsync(vfs, "b/obj", 5, null);
        await backend.PutAsync(P("b/direct"), new MemoryStream(new byte[2]), new PutOptions(2) { ObjectMetadataProvider = _ => ValueTask.FromResult<ObjectMetadata?>(Sample("\"d\"")) }, default);
        var direct = await backend.PutAsync(P("b/direct"), new MemoryStream(new byte[2]), new PutOptions(2), default);

        Assert.Null(await vfs.GetMetadataAsync(plain, default));
        Assert.Null(await vfs.GetMetadataAsync(direct, default));
        Assert.Null(LocalXattr.Get(Path.Combine(_root, "b", "direct"), LocalBackend.MetadataAttribute, out var errno));
        Assert.Equal(LocalXattr.NoData, errno);
    }

    [Fact]
    public async Task GetMetadataAsync_FileRewrittenInPlaceByAnotherTool_IgnoresTheAttribute()
    {
        var vfs = new VirtualFileSystem(new LocalBackend(new LocalOptions(_root)));
        await PutAsync(vfs, "b/obj", 5, Sample("\"1\""));
        var full = Path.Combine(_root, "b", "obj");

        // O_TRUNC keeps the inode and its attributes.
        await File.WriteAllBytesAsync(full, new byte[5]);
        File.SetLastWriteTimeUtc(full, DateTime.UnixEpoch.AddDays(5));
        var entry = await vfs.StatAsync(P("b/obj"), default);

        Assert.Null(await vfs.GetMetadataAsync(entry, default));
    }

    [Fact]
    public async Task CopyAndMove_CarryTheAttribute()
    {
        var vfs = new VirtualFileSystem(new LocalBackend(new LocalOptions(_root)));
        await PutAsync(vfs, "b/src", 5, Sample("\"s\""));

        var copied = await vfs.CopyAsync(P("b/src"), P("c/copy"), default);
        var moved = await vfs.MoveAsync(P("b/src"), P("c/moved"), default);

        var restarted = new VirtualFileSystem(new LocalBackend(new LocalOptions(_root)));
        Assert.Equal("\"s\"", (await restarted.GetMetadataAsync(copied, default))?.ETag);
        Assert.Equal("\"s\"", (await restarted.GetMetadataAsync(moved, default))?.ETag);
        Assert.False(Directory.Exists(Path.Combine(_root, MetadataCodec.SidecarRootName)));
    }

    [Fact]
    public async Task SidecarRecordsOfAnEarlierVersion_AreReadHiddenAndMigrated()
    {
        var sidecar = new VirtualFileSystem(new LocalBackend(new LocalOptions(_root) { NoXattr = true }));
        var kept = await PutAsync(sidecar, "b/kept", 5, Sample("\"kept\""));
        await PutAsync(sidecar, "b/rewritten", 5, Sample("\"old\""));
        await PutAsync(sidecar, "b/deleted", 5, Sample("\"gone\""));
        await PutAsync(sidecar, "b/moved", 5, Sample("\"moved\""));
        Assert.True(Directory.Exists(Path.Combine(_root, MetadataCodec.SidecarRootName)));

        var vfs = new VirtualFileSystem(new LocalBackend(new LocalOptions(_root)));

        Assert.Equal("\"kept\"", (await vfs.GetMetadataAsync(kept, default))?.ETag);
        Assert.Equal(["b"], (await vfs.ListAsync(VfsPath.Root, default).ToListAsync()).Select(e => e.Name));

        var rewritten = await PutAsync(vfs, "b/rewritten", 5, Sample("\"new\""));
        await vfs.DeleteAsync(P("b/deleted"), default);
        var moved = await vfs.MoveAsync(P("b/moved"), P("b/moved2"), default);

        var records = Path.Combine(_root, MetadataCodec.SidecarRootName, "b");
        Assert.Equal(["kept"], Directory.EnumerateFiles(records).Select(Path.GetFileName));
        var restarted = new VirtualFileSystem(new LocalBackend(new LocalOptions(_root)));
        Assert.Equal("\"new\"", (await restarted.GetMetadataAsync(rewritten, default))?.ETag);
        Assert.Equal("\"moved\"", (await restarted.GetMetadataAsync(moved, default))?.ETag);

        await restarted.DeleteAsync(P("b/kept"), default);
        Assert.False(Directory.Exists(Path.Combine(_root, MetadataCodec.SidecarRootName)));
    }
}
