using VfsGateway.Backends.Local;
using VfsGateway.Backends.Memory;
using VfsGateway.Vfs;
using VfsGateway.Vfs.Metadata;

namespace VfsGateway.UnitTests.Vfs.Metadata;

/// <summary>The Vfs metadata store in cache mode off, over the memory backend (native recursive listing) and the local backend (walked listing, temp + rename).</summary>
public sealed class MetadataStoreTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "vfs-meta-" + Guid.NewGuid().ToString("N"));

    public MetadataStoreTests() => Directory.CreateDirectory(_root);

    public static TheoryData<string> Backends => new() { "memory", "local", "local-sidecar" };

    /// <summary>Backends whose metadata lives in sidecar records (the local backend's xattrs: LocalXattrMetadataTests).</summary>
    public static TheoryData<string> SidecarBackends => new() { "memory", "local-sidecar" };

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task GetMetadataAsync_AfterRestart_ReturnsWhatThePutStored(string kind)
    {
        var backend = Create(kind);
        await PutAsync(new VirtualFileSystem(backend), "b/dir/obj.txt", 10, Sample("\"abc\""));

        var restarted = new VirtualFileSystem(backend);
        var entry = await restarted.StatAsync(P("b/dir/obj.txt"), default);
        var metadata = await restarted.GetMetadataAsync(entry, default);

        Assert.NotNull(metadata);
        Assert.Equal("\"abc\"", metadata.ETag);
        Assert.Equal("text/plain", metadata.ContentType);
        Assert.Equal("inline", metadata.Headers["Content-Disposition"]);
        Assert.Equal("v1", metadata.UserMetadata["k1"]);
        Assert.Equal("AAAAAA==", metadata.Checksums["x-amz-checksum-crc32"]);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task PutAsync_WithoutMetadata_WritesNoRecord(string kind)
    {
        var backend = Create(kind);
        var vfs = new VirtualFileSystem(backend);

        var entry = await PutAsync(vfs, "repo/data/ab", 10, null);

        Assert.Null(await vfs.GetMetadataAsync(entry, default));
        Assert.DoesNotContain(await NamesAsync(backend.ListAsync(VfsPath.Root, default)), n => n == MetadataPaths.RootName);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task PutAsync_ContentTypeOnly_KeepsIt(string kind)
    {
        var backend = Create(kind);
        var vfs = new VirtualFileSystem(backend);
        var entry = await vfs.PutAsync(P("b/x"), new MemoryStream(new byte[3]), new PutOptions(3, null, "image/png"), default);

        var metadata = await new VirtualFileSystem(backend).GetMetadataAsync(entry, default);

        Assert.Equal("image/png", metadata?.ContentType);
    }

    [Theory]
    [MemberData(nameof(SidecarBackends))]
    public async Task Listings_NeverShowRecords(string kind)
    {
        var backend = Create(kind);
        var vfs = new VirtualFileSystem(backend);
        await PutAsync(vfs, "b/obj", 5, Sample("\"1\""));
        await PutAsync(vfs, "top", 5, Sample("\"2\""));
        Assert.Contains(MetadataPaths.RootName, await NamesAsync(backend.ListAsync(VfsPath.Root, default)));

        var root = await NamesAsync(vfs.ListAsync(VfsPath.Root, default));
        var recursive = await PathsAsync(vfs.ListRecursiveAsync(VfsPath.Root, default));
        var bucket = await NamesAsync(vfs.ListAsync(P("b"), default));

        Assert.Equal(["b", "top"], root.Order(StringComparer.Ordinal));
        Assert.Equal(["b", "b/obj", "top"], recursive.Order(StringComparer.Ordinal));
        Assert.Equal(["obj"], bucket);
    }

    [Theory]
    [MemberData(nameof(SidecarBackends))]
    public async Task ReservedDirectory_IsInvisibleAndUntouchable(string kind)
    {
        var backend = Create(kind);
        var vfs = new VirtualFileSystem(backend);
        await PutAsync(vfs, "b/obj", 5, Sample("\"1\""));
        var meta = P(".gateway-meta");
        var record = P(".gateway-meta/b/obj");

        Assert.Equal(VfsErrorKind.NotFound, (await Assert.ThrowsAsync<VfsException>(async () => await vfs.StatAsync(meta, default))).Kind);
        Assert.Equal(VfsErrorKind.NotFound, (await Assert.ThrowsAsync<VfsException>(async () => await vfs.StatAsync(record, default))).Kind);
        Assert.Equal(VfsErrorKind.NotFound, (await Assert.ThrowsAsync<VfsException>(async () => await vfs.OpenReadAsync(record, null, default))).Kind);
        Assert.Equal(VfsErrorKind.DirNotFound, (await Assert.ThrowsAsync<VfsException>(async () => await NamesAsync(vfs.ListAsync(meta, default)))).Kind);
        Assert.Equal(VfsErrorKind.DirNotFound, (await Assert.ThrowsAsync<VfsException>(async () => await PathsAsync(vfs.ListRecursiveAsync(meta, default)))).Kind);
        Assert.Equal(VfsErrorKind.Invalid, (await Assert.ThrowsAsync<VfsException>(async () => await PutAsync(vfs, ".gateway-meta/b/obj", 1, null))).Kind);
        Assert.Equal(VfsErrorKind.Invalid, (await Assert.ThrowsAsync<VfsException>(async () => await vfs.DeleteAsync(record, default))).Kind);
        Assert.Equal(VfsErrorKind.Invalid, (await Assert.ThrowsAsync<VfsException>(async () => await vfs.MkdirAsync(P(".gateway-meta/x"), default))).Kind);
        Assert.Equal(VfsErrorKind.Invalid, (await Assert.ThrowsAsync<VfsException>(async () => await vfs.RmdirAsync(meta, default))).Kind);
        Assert.Equal(VfsErrorKind.Invalid, (await Assert.ThrowsAsync<VfsException>(async () => await vfs.CopyAsync(P("b/obj"), record, default))).Kind);
        Assert.Equal(VfsErrorKind.Invalid, (await Assert.ThrowsAsync<VfsException>(async () => await vfs.MoveAsync(record, P("b/stolen"), default))).Kind);
        Assert.True(await ExistsAsync(backend, record));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task GetMetadataAsync_ObjectReplacedBehindTheGateway_IgnoresStaleRecord(string kind)
    {
        var backend = Create(kind);
        var vfs = new VirtualFileSystem(backend);
        await PutAsync(vfs, "b/obj", 5, Sample("\"old\""));

        // Another writer (or a crash between object and record): new bytes, old record.
        await backend.PutAsync(P("b/obj"), new MemoryStream(new byte[6]), new PutOptions(6), default);
        var restarted = new VirtualFileSystem(backend);
        var entry = await restarted.StatAsync(P("b/obj"), default);

        Assert.Null(await restarted.GetMetadataAsync(entry, default));
    }

    [Theory]
    [MemberData(nameof(SidecarBackends))]
    public async Task GetMetadataAsync_SameSizeDifferentModTime_IgnoresStaleRecord(string kind)
    {
        var backend = Create(kind);
        var vfs = new VirtualFileSystem(backend);
        var written = await vfs.PutAsync(P("b/obj"), new MemoryStream(new byte[5]), new PutOptions(5, DateTimeOffset.UnixEpoch.AddDays(1)) { ObjectMetadataProvider = _ => ValueTask.FromResult<ObjectMetadata?>(Sample("\"old\"")) }, default);

        await backend.PutAsync(P("b/obj"), new MemoryStream(new byte[5]), new PutOptions(5, DateTimeOffset.UnixEpoch.AddDays(2)), default);
        var entry = await backend.StatAsync(P("b/obj"), default);

        Assert.NotNull(await vfs.GetMetadataAsync(written, default));
        Assert.Null(await new VirtualFileSystem(backend).GetMetadataAsync(entry, default));
    }

    [Theory]
    [MemberData(nameof(SidecarBackends))]
    public async Task DeleteAsync_RemovesRecordAndEmptyMirrorDirectories(string kind)
    {
        var backend = Create(kind);
        var vfs = new VirtualFileSystem(backend);
        await PutAsync(vfs, "b/deep/er/obj", 5, Sample("\"1\""));
        await PutAsync(vfs, "b/keep", 5, Sample("\"2\""));

        await vfs.DeleteAsync(P("b/deep/er/obj"), default);

        Assert.False(await ExistsAsync(backend, P(".gateway-meta/b/deep/er/obj")));
        Assert.False(await ExistsAsync(backend, P(".gateway-meta/b/deep")));
        Assert.True(await ExistsAsync(backend, P(".gateway-meta/b/keep")));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task CopyAsync_CopiesRecord(string kind)
    {
        var backend = Create(kind);
        var vfs = new VirtualFileSystem(backend);
        await PutAsync(vfs, "b/src", 5, Sample("\"s\""));

        var copied = await vfs.CopyAsync(P("b/src"), P("c/dst"), default);
        var restarted = new VirtualFileSystem(backend);

        Assert.Equal("\"s\"", (await restarted.GetMetadataAsync(copied, default))?.ETag);
        Assert.Equal("\"s\"", (await restarted.GetMetadataAsync(await restarted.StatAsync(P("b/src"), default), default))?.ETag);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task CopyAsync_SourceWithoutRecord_TargetLosesItsOldRecord(string kind)
    {
        var backend = Create(kind);
        var vfs = new VirtualFileSystem(backend);
        var modTime = DateTimeOffset.UnixEpoch.AddDays(3);
        await vfs.PutAsync(P("b/dst"), new MemoryStream(new byte[5]), new PutOptions(5, modTime) { ObjectMetadataProvider = _ => ValueTask.FromResult<ObjectMetadata?>(Sample("\"old\"")) }, default);
        await backend.PutAsync(P("b/src"), new MemoryStream(new byte[5]), new PutOptions(5, modTime), default);

        var copied = await vfs.CopyAsync(P("b/src"), P("b/dst"), default);

        Assert.Null(await new VirtualFileSystem(backend).GetMetadataAsync(copied, default));
        Assert.False(await ExistsAsync(backend, P(".gateway-meta/b/dst")));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task MoveAsync_MovesRecord(string kind)
    {
        var backend = Create(kind);
        var vfs = new VirtualFileSystem(backend);
        await PutAsync(vfs, "b/src", 5, Sample("\"s\""));

        var moved = await vfs.MoveAsync(P("b/src"), P("b/dst"), default);

        Assert.Equal("\"s\"", (await new VirtualFileSystem(backend).GetMetadataAsync(moved, default))?.ETag);
        Assert.False(await ExistsAsync(backend, P(".gateway-meta/b/src")));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task PutAsync_ProviderThrows_LeavesNoObject(string kind)
    {
        var backend = Create(kind);
        var vfs = new VirtualFileSystem(backend);
        var options = new PutOptions(5) { ObjectMetadataProvider = _ => throw new InvalidDataException("checksum mismatch") };

        await Assert.ThrowsAsync<InvalidDataException>(async () => await vfs.PutAsync(P("b/obj"), new MemoryStream(new byte[5]), options, default));

        Assert.False(await ExistsAsync(backend, P("b/obj")));
        Assert.Equal(VfsErrorKind.NotFound, (await Assert.ThrowsAsync<VfsException>(async () => await vfs.StatAsync(P("b/obj"), default))).Kind);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task PutAsync_FileWhereStaleMirrorDirectoryIs_ReplacesIt(string kind)
    {
        var backend = Create(kind);
        var vfs = new VirtualFileSystem(backend);
        await PutAsync(vfs, "b/a/inner", 5, Sample("\"inner\""));

        // "b/a" turns from a directory into a file behind the gateway; its records are stale.
        await backend.DeleteAsync(P("b/a/inner"), default);
        await backend.RmdirAsync(P("b/a"), default);
        var file = await PutAsync(vfs, "b/a", 3, Sample("\"file\""));

        Assert.Equal("\"file\"", (await new VirtualFileSystem(backend).GetMetadataAsync(file, default))?.ETag);

        // And back: a file record where a mirror directory must go.
        await backend.DeleteAsync(P("b/a"), default);
        var inner = await PutAsync(vfs, "b/a/again", 4, Sample("\"again\""));

        Assert.Equal("\"again\"", (await new VirtualFileSystem(backend).GetMetadataAsync(inner, default))?.ETag);
    }

    [Fact]
    public async Task DeleteAsync_RecordCannotBeRemoved_ObjectDeleteStillSucceeds()
    {
        var memory = new MemoryBackend(new MemoryOptions(VfsPath.Root));
        var vfs = new VirtualFileSystem(memory);
        await PutAsync(vfs, "b/obj", 5, Sample("\"1\""));
        memory.FaultInjector = (op, path) => op == "delete" && path.Value.StartsWith(".gateway-meta/", StringComparison.Ordinal) ? new VfsException(VfsErrorKind.PermissionDenied, "read-only") : null;

        await vfs.DeleteAsync(P("b/obj"), default);
        memory.FaultInjector = null;

        Assert.False(await ExistsAsync(memory, P("b/obj")));
        Assert.True(await ExistsAsync(memory, P(".gateway-meta/b/obj")));
    }

    [Fact]
    public async Task GetMetadataAsync_UnreadableRecord_IsNoMetadata()
    {
        var backend = Create("memory");
        var vfs = new VirtualFileSystem(backend);
        var entry = await PutAsync(vfs, "b/obj", 5, Sample("\"1\""));
        await backend.PutAsync(P(".gateway-meta/b/obj"), new MemoryStream("{not json"u8.ToArray()), PutOptions.Default, default);

        Assert.Null(await new VirtualFileSystem(backend).GetMetadataAsync(entry, default));
    }

    internal static ObjectMetadata Sample(string etag) => new()
    {
        ContentType = "text/plain",
        ETag = etag,
        Headers = new Dictionary<string, string> { ["Content-Disposition"] = "inline" },
        UserMetadata = new Dictionary<string, string> { ["k1"] = "v1" },
        Checksums = new Dictionary<string, string> { ["x-amz-checksum-crc32"] = "AAAAAA==" },
    };

    internal static async Task<Entry> PutAsync(VirtualFileSystem vfs, string path, int size, ObjectMetadata? metadata)
    {
        var options = metadata is null ? new PutOptions(size) : new PutOptions(size) { ObjectMetadataProvider = _ => ValueTask.FromResult<ObjectMetadata?>(metadata) };
        return await vfs.PutAsync(P(path), new MemoryStream(new byte[size]), options, default);
    }

    internal static VfsPath P(string path) => VfsPath.Parse(path);

    internal static async Task<bool> ExistsAsync(IBackend backend, VfsPath path)
    {
        try
        {
            await backend.StatAsync(path, default);
            return true;
        }
        catch (VfsException e) when (e.Kind is VfsErrorKind.NotFound or VfsErrorKind.DirNotFound or VfsErrorKind.NotDirectory)
        {
            return false;
        }
    }

    private static async Task<List<string>> NamesAsync(IAsyncEnumerable<Entry> entries) => [.. (await PathsAsync(entries)).Select(p => p[(p.LastIndexOf('/') + 1)..])];

    private static async Task<List<string>> PathsAsync(IAsyncEnumerable<Entry> entries)
    {
        var result = new List<string>();
        await foreach (var e in entries)
        {
            result.Add(e.Path.Value);
        }

        return result;
    }

    private IBackend Create(string kind) => kind == "memory"
        ? new MemoryBackend(new MemoryOptions(VfsPath.Root))
        : new LocalBackend(new LocalOptions(_root) { NoXattr = kind == "local-sidecar" });
}
