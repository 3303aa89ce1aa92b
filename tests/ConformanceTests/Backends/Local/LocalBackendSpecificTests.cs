using VfsGateway.Backends.Local;
using VfsGateway.ConformanceTests.Support;
using VfsGateway.Vfs;
using VfsGateway.Vfs.Registry;

namespace VfsGateway.ConformanceTests.Backends.Local;

/// <summary>What only a local disk has: symlinks, a lazily created root, real file-system errors.</summary>
public sealed class LocalBackendSpecificTests : IAsyncLifetime
{
    private readonly string _base = Path.Combine(Path.GetTempPath(), "vfsgw-local-" + Guid.NewGuid().ToString("N"));
    private readonly List<IBackend> _backends = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var backend in _backends)
        {
            await backend.DisposeAsync();
        }

        if (Directory.Exists(_base))
        {
            Directory.Delete(_base, recursive: true);
        }
    }

    [Fact]
    public async Task Root_Missing_IsCreatedByFirstPut()
    {
        var root = Path.Combine(_base, "lazy", "root");
        var backend = await CreateAsync(root);

        Assert.False(Directory.Exists(root));
        Assert.Equal(VfsErrorKind.DirNotFound, (await Assert.ThrowsAsync<VfsException>(async () => await backend.ListAsync(VfsPath.Root, default).ToListAsync())).Kind);
        Assert.Equal(VfsErrorKind.NotFound, (await Assert.ThrowsAsync<VfsException>(async () => await backend.StatAsync(VfsPath.Root, default))).Kind);

        await backend.PutAsync(VfsPath.Parse("a/b"), new MemoryStream([1, 2, 3]), new PutOptions(3), default);

        Assert.Equal([1, 2, 3], await File.ReadAllBytesAsync(Path.Combine(root, "a", "b")));
        Assert.True((await backend.StatAsync(VfsPath.Root, default)).IsDirectory);
    }

    [Fact]
    public async Task Mkdir_Root_CreatesIt()
    {
        var root = Path.Combine(_base, "made");
        var backend = await CreateAsync(root);

        await backend.MkdirAsync(VfsPath.Root, default);

        Assert.True(Directory.Exists(root));
        Assert.Empty(await backend.ListAsync(VfsPath.Root, default).ToListAsync());
    }

    [Fact]
    public async Task Symlinks_AreNotListedNorServed()
    {
        var root = Path.Combine(_base, "links");
        Directory.CreateDirectory(Path.Combine(root, "realdir"));
        await File.WriteAllBytesAsync(Path.Combine(root, "real"), [7]);
        File.CreateSymbolicLink(Path.Combine(root, "filelink"), Path.Combine(root, "real"));
        Directory.CreateSymbolicLink(Path.Combine(root, "dirlink"), Path.Combine(root, "realdir"));
        File.CreateSymbolicLink(Path.Combine(root, "dangling"), Path.Combine(root, "nowhere"));
        var backend = await CreateAsync(root);

        var names = (await backend.ListAsync(VfsPath.Root, default).ToListAsync()).Select(e => e.Name).Order(StringComparer.Ordinal);

        Assert.Equal(["real", "realdir"], names);
        foreach (var link in new[] { "filelink", "dirlink", "dangling" })
        {
            var path = VfsPath.Parse(link);
            Assert.Equal(VfsErrorKind.NotFound, (await Assert.ThrowsAsync<VfsException>(async () => await backend.StatAsync(path, default))).Kind);
            Assert.Equal(VfsErrorKind.NotFound, (await Assert.ThrowsAsync<VfsException>(async () => await backend.OpenReadAsync(path, null, default))).Kind);
            Assert.Equal(VfsErrorKind.NotFound, (await Assert.ThrowsAsync<VfsException>(async () => await backend.DeleteAsync(path, default))).Kind);
        }

        Assert.True(File.Exists(Path.Combine(root, "filelink")));
    }

    [Fact]
    public async Task Put_OntoSymlink_ReplacesTheLinkNotItsTarget()
    {
        var root = Path.Combine(_base, "put-link");
        var outside = Path.Combine(_base, "outside");
        Directory.CreateDirectory(root);
        await File.WriteAllBytesAsync(outside, [9, 9]);
        File.CreateSymbolicLink(Path.Combine(root, "obj"), outside);
        var backend = await CreateAsync(root);

        await backend.PutAsync(VfsPath.Parse("obj"), new MemoryStream([1]), new PutOptions(1), default);

        Assert.Equal([9, 9], await File.ReadAllBytesAsync(outside));
        Assert.Null(new FileInfo(Path.Combine(root, "obj")).LinkTarget);
        Assert.Equal([1], await File.ReadAllBytesAsync(Path.Combine(root, "obj")));
    }

    [Fact]
    public async Task Root_ThatIsASymlink_IsFollowed()
    {
        var real = Path.Combine(_base, "real-root");
        Directory.CreateDirectory(real);
        await File.WriteAllBytesAsync(Path.Combine(real, "f"), [1]);
        var link = Path.Combine(_base, "link-root");
        Directory.CreateSymbolicLink(link, real);
        var backend = await CreateAsync(link);

        Assert.Equal(["f"], (await backend.ListAsync(VfsPath.Root, default).ToListAsync()).Select(e => e.Name));
        Assert.True((await backend.StatAsync(VfsPath.Root, default)).IsDirectory);
    }

    [Fact]
    public async Task List_NameWithBackslash_IsSkipped()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var root = Path.Combine(_base, "odd");
        Directory.CreateDirectory(root);
        await File.WriteAllBytesAsync(Path.Combine(root, "back\\slash"), [1]);
        await File.WriteAllBytesAsync(Path.Combine(root, "fine"), [1]);
        var backend = await CreateAsync(root);

        Assert.Equal(["fine"], (await backend.ListAsync(VfsPath.Root, default).ToListAsync()).Select(e => e.Name));
    }

    [Fact]
    public async Task Put_ContentThrows_RemovesPartialFileEvenWithoutVfs()
    {
        var root = Path.Combine(_base, "partial");
        var backend = await CreateAsync(root);

        await Assert.ThrowsAsync<InjectedFailureException>(
            async () => await backend.PutAsync(VfsPath.Parse("obj"), new PatternStream(1_000_000, failAfter: 300_000), PutOptions.Default, default));

        Assert.False(File.Exists(Path.Combine(root, "obj")));
    }

    [Fact]
    public async Task List_CancelledMidway_StopsWithoutReadingTheRest()
    {
        var root = Path.Combine(_base, "many");
        Directory.CreateDirectory(root);
        for (var i = 0; i < 300; i++)
        {
            await File.WriteAllBytesAsync(Path.Combine(root, $"f{i:D3}"), []);
        }

        var backend = await CreateAsync(root);
        using var cts = new CancellationTokenSource();
        var seen = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var unused in backend.ListAsync(VfsPath.Root, cts.Token))
            {
                if (++seen == 5)
                {
                    await cts.CancelAsync();
                }
            }
        });

        Assert.Equal(5, seen);
    }

    [Fact]
    public async Task Put_SeveralWritebackChunksInSmallReads_StoresExactContent()
    {
        var backend = await CreateAsync(Path.Combine(_base, "root"));
        var content = new byte[(2 * LocalWriteStream.WritebackChunk) + 12345];
        new Random(7).NextBytes(content);

        await backend.PutAsync(VfsPath.Parse("obj"), new TrickleStream(content, 3000), new PutOptions(content.Length), default);

        Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(_base, "root", "obj")));
    }

    [Fact]
    public async Task OpenRead_Range_IsASeekableWindow()
    {
        var backend = await CreateAsync(Path.Combine(_base, "root"));
        var content = Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray();
        await backend.PutAsync(VfsPath.Parse("obj"), new MemoryStream(content), new PutOptions(content.Length), default);

        await using var stream = await backend.OpenReadAsync(VfsPath.Parse("obj"), new ByteRange(100, 200), default);
        var buffer = new byte[300];
        var first = await stream.ReadAsync(buffer.AsMemory(0, 50));
        stream.Seek(150, SeekOrigin.Begin);
        var rest = await stream.ReadAsync(buffer.AsMemory(50));
        var end = await stream.ReadAsync(buffer);

        Assert.Equal(200, stream.Length);
        Assert.Equal(50, first);
        Assert.Equal(content[100..150], buffer[..50]);
        Assert.Equal(50, rest);
        Assert.Equal(content[250..300], buffer[50..100]);
        Assert.Equal(0, end);
        Assert.Equal(200, stream.Position);
    }

    [Fact]
    public async Task Write_OnFullDevice_IsInsufficientStorage()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/dev/full"))
        {
            return;
        }

        // /dev/full answers every write with ENOSPC: the real errno through the real write path.
        using var file = File.OpenHandle("/dev/full", FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        var stream = new LocalWriteStream(file, VfsPath.Parse("obj"));

        var e = await Assert.ThrowsAsync<VfsException>(async () => await stream.WriteAsync(new byte[4096]));

        Assert.Equal(VfsErrorKind.InsufficientStorage, e.Kind);
        Assert.IsType<IOException>(e.InnerException, exactMatch: false);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Options_EmptyRoot_IsInvalid(string root)
    {
        var e = Assert.Throws<VfsException>(() => LocalOptions.FromConfig(Config(root)));

        Assert.Equal(VfsErrorKind.Invalid, e.Kind);
    }

    [Fact]
    public void Options_RelativeRootWithTrailingSlash_BecomesAbsolute()
    {
        var options = LocalOptions.FromConfig(Config("some/dir/"));

        Assert.True(Path.IsPathFullyQualified(options.Root));
        Assert.Equal(Path.GetFullPath("some/dir"), options.Root);
        Assert.Equal(Path.GetPathRoot(Path.GetTempPath()), LocalOptions.FromConfig(Config(Path.GetPathRoot(Path.GetTempPath())!)).Root);
    }

    private static BackendConfig Config(string root) =>
        new(LocalRegistration.Registration, root, new Dictionary<string, string>());

    private async Task<IBackend> CreateAsync(string root)
    {
        var backend = await LocalRegistration.Registration.Factory(Config(root), default);
        _backends.Add(backend);
        return backend;
    }

    /// <summary>Hands out at most <c>chunk</c> bytes per read, like a network body.</summary>
    private sealed class TrickleStream(byte[] content, int chunk) : MemoryStream(content)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, chunk)]);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }
}
