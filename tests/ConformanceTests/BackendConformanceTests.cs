using System.Security.Cryptography;
using VfsGateway.ConformanceTests.Support;
using VfsGateway.Vfs;

namespace VfsGateway.ConformanceTests;

/// <summary>
/// The backend contract, checked the same way for every backend (rclone's fstests). A backend's
/// test class inherits this unchanged and supplies a <see cref="BackendFixture"/>; every test
/// works in a fresh random sub-root. This part: setup, helpers, stat and list.
/// </summary>
public abstract partial class BackendConformanceTests(BackendFixture fixture) : IAsyncLifetime, IDisposable
{
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromMinutes(2));
    private IBackend? _backend;
    private string? _subRoot;

    protected BackendFixture Fixture { get; } = fixture;

    protected IBackend Backend => _backend ?? throw new InvalidOperationException("not initialized");

    protected CancellationToken Ct => _timeout.Token;

    protected bool BucketBased => Backend.Features.BucketBased;

    /// <summary>The fresh sub-root of this test's backend inside the fixture's area.</summary>
    protected string SubRoot => _subRoot ?? throw new InvalidOperationException("not initialized");

    public async Task InitializeAsync()
    {
        _subRoot = "t-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        _backend = await Fixture.CreateBackendAsync(_subRoot, Ct);
    }

    public async Task DisposeAsync()
    {
        if (_backend is not null)
        {
            await _backend.DisposeAsync();
        }
    }

    public void Dispose() => _timeout.Dispose();

    [Fact]
    public async Task Stat_MissingInExistingDir_ThrowsNotFound()
    {
        await PutBytesAsync("dir/present", Bytes(3));

        await ThrowsKindAsync(VfsErrorKind.NotFound, async () => await Backend.StatAsync(P("dir/absent"), Ct));
    }

    [Fact]
    public async Task Stat_MissingInMissingDir_ThrowsNotFound()
    {
        await PutBytesAsync("present", Bytes(3));

        await ThrowsKindAsync(VfsErrorKind.NotFound, async () => await Backend.StatAsync(P("no/such/dir/file"), Ct));
    }

    [Fact]
    public async Task Stat_BelowAFile_ThrowsNotFound()
    {
        await PutBytesAsync("file", Bytes(3));

        await ThrowsKindAsync(VfsErrorKind.NotFound, async () => await Backend.StatAsync(P("file/child"), Ct));
    }

    [Fact]
    public async Task Stat_File_ReportsSizeAndPath()
    {
        await PutBytesAsync("a/b.bin", Bytes(1234));

        var entry = await Backend.StatAsync(P("a/b.bin"), Ct);

        Assert.False(entry.IsDirectory);
        Assert.Equal(1234, entry.Size);
        Assert.Equal(P("a/b.bin"), entry.Path);
        Assert.Equal("b.bin", entry.Name);
    }

    [Fact]
    public async Task Stat_ImplicitParentOfFile_IsDirectory()
    {
        await PutBytesAsync("parent/child", Bytes(1));

        var entry = await Backend.StatAsync(P("parent"), Ct);

        Assert.True(entry.IsDirectory);
        Assert.Equal(P("parent"), entry.Path);
    }

    [Fact]
    public async Task List_MissingDir_ThrowsDirNotFoundOrIsEmpty()
    {
        await PutBytesAsync("present", Bytes(3));

        if (BucketBased)
        {
            Assert.Empty(await ListAsync("absent"));
        }
        else
        {
            await ThrowsKindAsync(VfsErrorKind.DirNotFound, () => ListAsync("absent"));
        }
    }

    [Fact]
    public async Task List_File_ThrowsNotDirectory()
    {
        await PutBytesAsync("file", Bytes(3));

        if (BucketBased)
        {
            Assert.Empty(await ListAsync("file"));
        }
        else
        {
            await ThrowsKindAsync(VfsErrorKind.NotDirectory, () => ListAsync("file"));
        }
    }

    [Fact]
    public async Task List_Mixed_ShowsSizesKindsAndPaths()
    {
        await PutBytesAsync("top/a.txt", Bytes(3));
        await PutBytesAsync("top/b.bin", Bytes(70_000));
        await PutBytesAsync("top/sub/c", Bytes(5));

        var entries = (await ListAsync("top")).OrderBy(e => e.Name, StringComparer.Ordinal).ToList();

        Assert.Equal(["a.txt", "b.bin", "sub"], entries.Select(e => e.Name));
        Assert.Equal([P("top/a.txt"), P("top/b.bin"), P("top/sub")], entries.Select(e => e.Path));
        Assert.Equal([false, false, true], entries.Select(e => e.IsDirectory));
        Assert.Equal(3, entries[0].Size);
        Assert.Equal(70_000, entries[1].Size);
    }

    [Fact]
    public async Task List_Root_ShowsTopLevelOnly()
    {
        await PutBytesAsync("one", Bytes(1));
        await PutBytesAsync("two/three", Bytes(1));

        var names = (await ListAsync(string.Empty)).Select(e => e.Name).Order(StringComparer.Ordinal);

        Assert.Equal(["one", "two"], names);
    }

    [Fact]
    public async Task List_ManyFiles_ReturnsEachOnce()
    {
        var expected = Enumerable.Range(0, 250).Select(i => $"f{i:D4}").ToList();
        foreach (var name in expected)
        {
            await PutBytesAsync("many/" + name, Bytes(1));
        }

        var names = (await ListAsync("many")).Select(e => e.Name).Order(StringComparer.Ordinal);

        Assert.Equal(expected, names);
    }

    protected static VfsPath P(string path) => VfsPath.Parse(path);

    /// <summary>Deterministic test content of <paramref name="length"/> bytes.</summary>
    protected static byte[] Bytes(int length, uint seed = 7)
    {
        var data = new byte[length];
        using var source = new PatternStream(length, seed);
        source.ReadExactly(data);
        return data;
    }

    protected async Task<Entry> PutBytesAsync(string path, byte[] data, PutOptions? options = null)
    {
        using var content = new MemoryStream(data, writable: false);
        return await Backend.PutAsync(P(path), content, options ?? new PutOptions(data.Length), Ct);
    }

    protected async Task<byte[]> ReadAsync(string path, ByteRange? range = null) => await ReadAsync(Backend.OpenReadAsync(P(path), range, Ct));

    protected async Task<byte[]> ReadAsync(ValueTask<Stream> open)
    {
        var stream = await open;
        await using (stream)
        {
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy, Ct);
            return copy.ToArray();
        }
    }

    /// <summary>The children of <paramref name="dir"/>, without its own directory key ("dir/", which bucket-based backends list with it).</summary>
    protected async Task<List<Entry>> ListAsync(string dir) => await Backend.ListAsync(P(dir), Ct).Where(e => !e.Path.IsDirectoryKey).ToListAsync(Ct);

    protected static async Task<VfsException> ThrowsKindAsync(VfsErrorKind kind, Func<Task> action)
    {
        var e = await Assert.ThrowsAsync<VfsException>(action);
        Assert.Equal(kind, e.Kind);
        return e;
    }

    /// <summary>
    /// The layer that promises "a failed put leaves nothing": the backend itself, or the Vfs on
    /// top of it when the backend can leave partial objects. Not disposed: it would dispose the backend.
    /// </summary>
    protected VirtualFileSystem SafeWriter() => new(Backend);

    protected static async Task<string> Sha256Async(Stream stream, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        int n;
        while ((n = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            hash.AppendData(buffer, 0, n);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
