using System.Security.Cryptography;
using VfsGateway.Vfs;

namespace VfsGateway.ConformanceTests.Vfs;

/// <summary>
/// The same Vfs-level cases in every cache mode over every backend (rclone's vfstest idea): what a
/// frontend sees must not depend on the mode, and in every mode every acknowledged write ends up
/// in the backend byte for byte.
/// </summary>
public abstract class VfsCacheModeConformanceTests : IAsyncLifetime, IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string _temp = Path.Combine(Path.GetTempPath(), "vfs-conf-" + Guid.NewGuid().ToString("N"));
    private IBackend _backend = null!;
    private VirtualFileSystem _vfs = null!;

    protected abstract VfsCacheMode Mode { get; }

    protected string TempRoot => _temp;

    protected VirtualFileSystem Vfs => _vfs;

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(_temp, "backend"));
        _backend = CreateBackend(Path.Combine(_temp, "backend"));
        _vfs = new VirtualFileSystem(_backend, Options());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _vfs.DisposeAsync();
        if (Directory.Exists(_temp))
        {
            Directory.Delete(_temp, recursive: true);
        }
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();

    /// <summary>A backend rooted at <paramref name="root"/> (a directory that does not exist yet, for backends that need one).</summary>
    protected abstract IBackend CreateBackend(string root);

    private VfsOptions Options() => new()
    {
        CacheMode = Mode,
        CacheDir = Path.Combine(_temp, "cache"),
        WriteBack = TimeSpan.FromMilliseconds(50),
        UploadRetryDelay = TimeSpan.FromMilliseconds(50),
        CachePollInterval = TimeSpan.FromMilliseconds(200),
        ReadChunkSize = 64 * 1024,
    };

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(128 * 1024)]
    [InlineData((3 * 1024 * 1024) + 17)]
    public async Task Put_ThenRead_ReturnsSameBytes(int size)
    {
        var path = VfsPath.Parse("dir/file.bin");
        var data = Bytes(size, 1);
        var entry = await PutAsync(path, data);
        Assert.Equal(size, entry.Size);
        Assert.Equal(data, await ReadAsync(path, null));
        Assert.Equal(size, (await _vfs.StatAsync(path, default)).Size);
        await AssertInBackendAsync(path, data);
        Assert.Equal(data, await ReadAsync(path, null));
    }

    [Fact]
    public async Task Put_UnknownLength_StoresEverything()
    {
        var path = VfsPath.Parse("unknown.bin");
        var data = Bytes(300_001, 2);
        await _vfs.PutAsync(path, new MemoryStream(data), PutOptions.Default, default);
        Assert.Equal(data, await ReadAsync(path, null));
        await AssertInBackendAsync(path, data);
    }

    [Fact]
    public async Task Put_ShortContent_ThrowsInvalidAndLeavesNothing()
    {
        var path = VfsPath.Parse("short.bin");
        var e = await Assert.ThrowsAsync<VfsException>(() => _vfs.PutAsync(path, new MemoryStream(Bytes(10, 3)), new PutOptions(Length: 20), default).AsTask());
        Assert.Equal(VfsErrorKind.Invalid, e.Kind);
        await AssertNotFoundAsync(path);
    }

    [Fact]
    public async Task Put_ContentThrows_KeepsPreviousVersion()
    {
        var path = VfsPath.Parse("a/keep.bin");
        var first = Bytes(5000, 4);
        await PutAsync(path, first);
        await Assert.ThrowsAsync<IOException>(() => _vfs.PutAsync(path, new FailingStream(Bytes(100_000, 5), 70_000), new PutOptions(100_000), default).AsTask());
        Assert.Equal(first, await ReadAsync(path, null));
        await AssertInBackendAsync(path, first);
        Assert.DoesNotContain(await ListAsync(VfsPath.Parse("a")), e => e.Name != "keep.bin");
    }

    [Fact]
    public async Task Put_Overwrite_ReadsNewVersion()
    {
        var path = VfsPath.Parse("over.bin");
        await PutAsync(path, Bytes(70_000, 6));
        var second = Bytes(1234, 7);
        await PutAsync(path, second);
        Assert.Equal(second, await ReadAsync(path, null));
        Assert.Equal(1234, (await _vfs.StatAsync(path, default)).Size);
        await AssertInBackendAsync(path, second);
    }

    [Theory]
    [InlineData(0, 10L)]
    [InlineData(65_000, 10_000L)]
    [InlineData(199_990, null)]
    [InlineData(250_000, 5L)]
    public async Task OpenRead_Range_ReturnsThatRange(long offset, long? length)
    {
        var path = VfsPath.Parse("range.bin");
        var data = Bytes(200_000, 8);
        await PutAsync(path, data);
        var (start, count) = new ByteRange(offset, length).Resolve(data.Length);
        Assert.Equal(data.AsSpan((int)start, (int)count).ToArray(), await ReadAsync(path, new ByteRange(offset, length)));
        await _vfs.WaitForUploadsAsync(default).WaitAsync(Patience);
        Assert.Equal(data.AsSpan((int)start, (int)count).ToArray(), await ReadAsync(path, new ByteRange(offset, length)));
    }

    [Fact]
    public async Task List_AfterPuts_ShowsFilesWithSizesAndParentDirectories()
    {
        await PutAsync(VfsPath.Parse("l/one.txt"), Bytes(11, 9));
        await PutAsync(VfsPath.Parse("l/sub/deeper/two.txt"), Bytes(22, 10));
        var root = await ListAsync(VfsPath.Root);
        Assert.Contains(root, e => e.Name == "l" && e.IsDirectory);
        var l = await ListAsync(VfsPath.Parse("l"));
        Assert.Equal(["one.txt", "sub"], l.Select(e => e.Name).Order().ToArray());
        Assert.Equal(11, l.Single(e => e.Name == "one.txt").Size);
        Assert.True(l.Single(e => e.Name == "sub").IsDirectory);
        Assert.True((await _vfs.StatAsync(VfsPath.Parse("l/sub"), default)).IsDirectory);
        var all = new List<Entry>();
        await foreach (var e in _vfs.ListRecursiveAsync(VfsPath.Parse("l"), default))
        {
            all.Add(e);
        }

        Assert.Contains(all, e => e.Path.Value == "l/sub/deeper/two.txt" && e.Size == 22);
        Assert.Contains(all, e => e.Path.Value == "l/one.txt" && e.Size == 11);
        await _vfs.WaitForUploadsAsync(default).WaitAsync(Patience);
        Assert.Equal(["one.txt", "sub"], (await ListAsync(VfsPath.Parse("l"))).Select(e => e.Name).Order().ToArray());
    }

    [Fact]
    public async Task Delete_AfterPut_MakesItGoneEverywhere()
    {
        var path = VfsPath.Parse("d/gone.bin");
        await PutAsync(path, Bytes(100, 11));
        await _vfs.DeleteAsync(path, default);
        await AssertNotFoundAsync(path);
        await _vfs.WaitForUploadsAsync(default).WaitAsync(Patience);
        await Assert.ThrowsAsync<VfsException>(async () => await _backend.StatAsync(path, default));
        Assert.DoesNotContain(await ListAsync(VfsPath.Parse("d"), tolerateMissing: true), e => e.Name == "gone.bin");
    }

    [Fact]
    public async Task Delete_Missing_ThrowsNotFound()
    {
        var e = await Assert.ThrowsAsync<VfsException>(() => _vfs.DeleteAsync(VfsPath.Parse("nope.bin"), default).AsTask());
        Assert.Equal(VfsErrorKind.NotFound, e.Kind);
    }

    [Fact]
    public async Task Stat_Missing_ThrowsNotFound() => await AssertNotFoundAsync(VfsPath.Parse("missing/file.bin"));

    [Fact]
    public async Task Mkdir_ThenRmdir_Works()
    {
        var dir = VfsPath.Parse("m/n");
        await _vfs.MkdirAsync(dir, default);
        Assert.True((await _vfs.StatAsync(dir, default)).IsDirectory);
        Assert.Contains(await ListAsync(VfsPath.Parse("m")), e => e.Name == "n" && e.IsDirectory);
        await _vfs.RmdirAsync(dir, default);
        Assert.DoesNotContain(await ListAsync(VfsPath.Parse("m")), e => e.Name == "n");
    }

    [Fact]
    public async Task Rmdir_WithFile_ThrowsDirNotEmpty()
    {
        await PutAsync(VfsPath.Parse("full/f.bin"), Bytes(10, 12));
        var e = await Assert.ThrowsAsync<VfsException>(() => _vfs.RmdirAsync(VfsPath.Parse("full"), default).AsTask());
        Assert.Equal(VfsErrorKind.DirNotEmpty, e.Kind);
    }

    [Fact]
    public async Task Copy_ThenMove_CarryTheBytes()
    {
        var data = Bytes(90_000, 13);
        await PutAsync(VfsPath.Parse("c/src.bin"), data);
        await _vfs.CopyAsync(VfsPath.Parse("c/src.bin"), VfsPath.Parse("c/copy.bin"), default);
        await _vfs.MoveAsync(VfsPath.Parse("c/copy.bin"), VfsPath.Parse("c/moved.bin"), default);
        Assert.Equal(data, await ReadAsync(VfsPath.Parse("c/moved.bin"), null));
        Assert.Equal(data, await ReadAsync(VfsPath.Parse("c/src.bin"), null));
        await AssertNotFoundAsync(VfsPath.Parse("c/copy.bin"));
        await AssertInBackendAsync(VfsPath.Parse("c/moved.bin"), data);
        await Assert.ThrowsAsync<VfsException>(async () => await _backend.StatAsync(VfsPath.Parse("c/copy.bin"), default));
    }

    [Fact]
    public async Task ManyPuts_AllReachTheBackend()
    {
        var files = Enumerable.Range(0, 25).Select(i => (Path: VfsPath.Parse($"many/f{i:D2}.bin"), Data: Bytes(1000 + (i * 997), 100 + i))).ToList();
        await Task.WhenAll(files.Select(f => PutAsync(f.Path, f.Data)));
        foreach (var (path, data) in files)
        {
            await AssertInBackendAsync(path, data);
        }

        Assert.Equal(25, (await ListAsync(VfsPath.Parse("many"))).Count);
    }

    [Fact]
    public async Task Reopen_SameCacheDir_ServesEverything()
    {
        var data = Bytes(40_000, 14);
        await PutAsync(VfsPath.Parse("re/open.bin"), data);
        await _vfs.StopAsync(TimeSpan.FromSeconds(30));
        await using var second = new VirtualFileSystem(_backend, Options());
        var stream = await second.OpenReadAsync(VfsPath.Parse("re/open.bin"), null, default);
        await using (stream)
        {
            Assert.Equal(data, await ReadAllAsync(stream));
        }

        await second.WaitForUploadsAsync(default).WaitAsync(Patience);
        await AssertInBackendAsync(VfsPath.Parse("re/open.bin"), data, second);
    }

    [Fact]
    public void Multipart_IsOfferedOnlyWithoutTheCache()
    {
        // With the cache on, writes are this instance's until uploaded: backend multipart would
        // bypass them, so frontends stage parts locally and store the object through PutAsync.
        var expected = Mode == VfsCacheMode.Off && _backend.Features.Multipart is not null;

        Assert.Equal(expected, _vfs.Multipart is not null);
    }

    protected static byte[] Bytes(int size, int seed)
    {
        var data = new byte[size];
        new Random(seed).NextBytes(data);
        return data;
    }

    protected async Task<Entry> PutAsync(VfsPath path, byte[] data) =>
        await _vfs.PutAsync(path, new MemoryStream(data), new PutOptions(data.Length), default);

    protected async Task<byte[]> ReadAsync(VfsPath path, ByteRange? range)
    {
        var stream = await _vfs.OpenReadAsync(path, range, default);
        await using (stream)
        {
            return await ReadAllAsync(stream);
        }
    }

    /// <summary>Waits for the write-back queue, then reads the object from the backend itself.</summary>
    protected async Task AssertInBackendAsync(VfsPath path, byte[] expected, VirtualFileSystem? vfs = null)
    {
        await (vfs ?? _vfs).WaitForUploadsAsync(default).WaitAsync(Patience);
        var stream = await _backend.OpenReadAsync(path, null, default);
        await using (stream)
        {
            var actual = await ReadAllAsync(stream);
            Assert.Equal(expected.Length, actual.Length);
            Assert.Equal(SHA256.HashData(expected), SHA256.HashData(actual));
        }
    }

    private async Task AssertNotFoundAsync(VfsPath path)
    {
        var stat = await Assert.ThrowsAsync<VfsException>(async () => await _vfs.StatAsync(path, default));
        Assert.Equal(VfsErrorKind.NotFound, stat.Kind);
        var open = await Assert.ThrowsAsync<VfsException>(async () => await _vfs.OpenReadAsync(path, null, default));
        Assert.Equal(VfsErrorKind.NotFound, open.Kind);
    }

    private async Task<List<Entry>> ListAsync(VfsPath dir, bool tolerateMissing = false)
    {
        var result = new List<Entry>();
        try
        {
            await foreach (var e in _vfs.ListAsync(dir, default))
            {
                result.Add(e);
            }
        }
        catch (VfsException e) when (tolerateMissing && e.Kind == VfsErrorKind.DirNotFound)
        {
        }

        return result;
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        var ms = new MemoryStream();
        await stream.CopyToAsync(ms);
        return ms.ToArray();
    }
}
