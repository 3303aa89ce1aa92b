using System.Security.Cryptography;
using VfsGateway.ConformanceTests.Support;
using VfsGateway.Vfs;

namespace VfsGateway.ConformanceTests;

/// <summary>
/// The promises the Vfs makes on top of any backend (what frontends rely on): a put is atomic
/// (readers see the old or the new object, never a part), a failed put leaves nothing, in-flight
/// temporary names are never listed; multipart uploads keep their metadata (VfsConformanceTests.Multipart.cs). Inherited unchanged by every backend's Vfs test class.
/// </summary>
public abstract partial class VfsConformanceTests(BackendFixture fixture) : IAsyncLifetime, IDisposable
{
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromMinutes(2));
    private IBackend? _backend;
    private VirtualFileSystem? _vfs;

    protected BackendFixture Fixture { get; } = fixture;

    protected IBackend Backend => _backend ?? throw new InvalidOperationException("not initialized");

    protected VirtualFileSystem Vfs => _vfs ?? throw new InvalidOperationException("not initialized");

    protected CancellationToken Ct => _timeout.Token;

    public async Task InitializeAsync()
    {
        _backend = await Fixture.CreateBackendAsync("v-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)), Ct);
        _vfs = new VirtualFileSystem(_backend);
    }

    public async Task DisposeAsync()
    {
        if (_vfs is not null)
        {
            await _vfs.DisposeAsync();
        }
    }

    public void Dispose() => _timeout.Dispose();

    [Fact]
    public async Task Put_InFlight_IsInvisibleAndOldVersionServed()
    {
        var old = Data(5000, 1);
        await PutAsync("dir/obj", old);
        var gated = new GatedStream(Data(64 * 1024, 2), Data(64 * 1024, 3));

        var put = Vfs.PutAsync(P("dir/obj"), gated, new PutOptions(128 * 1024), Ct).AsTask();
        await gated.Paused.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(["obj"], await NamesAsync("dir"));
        Assert.Equal(["dir", "dir/obj"], (await Vfs.ListRecursiveAsync(VfsPath.Root, Ct).ToListAsync(Ct)).Select(e => e.Path.Value).Order(StringComparer.Ordinal));
        Assert.Equal(old.Length, (await Vfs.StatAsync(P("dir/obj"), Ct)).Size);
        Assert.Equal(old, await ReadAsync("dir/obj"));

        gated.Finish();
        var entry = await put;

        byte[] expected = [.. Data(64 * 1024, 2), .. Data(64 * 1024, 3)];
        Assert.Equal(128 * 1024, entry.Size);
        Assert.Equal(expected, await ReadAsync("dir/obj"));
        Assert.Equal(["obj"], (await Backend.ListAsync(P("dir"), Ct).ToListAsync(Ct)).Select(e => e.Name));
    }

    [Fact]
    public async Task Put_ClientGoesAway_LeavesNoTraceAndOldIntact()
    {
        var old = Data(5000, 1);
        await PutAsync("dir/obj", old);
        var gated = new GatedStream(Data(64 * 1024, 2), []);

        var put = Vfs.PutAsync(P("dir/obj"), gated, new PutOptions(128 * 1024), Ct).AsTask();
        await gated.Paused.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        gated.Fail();

        await Assert.ThrowsAsync<InjectedFailureException>(() => put);
        Assert.Equal(old, await ReadAsync("dir/obj"));
        Assert.Equal(["obj"], (await Backend.ListAsync(P("dir"), Ct).ToListAsync(Ct)).Select(e => e.Name));
    }

    [Fact]
    public async Task Put_FailsOnNewPath_LeavesNothingInBackend()
    {
        await PutAsync("dir/keep", Data(10, 1));

        await Assert.ThrowsAsync<InjectedFailureException>(
            async () => await Vfs.PutAsync(P("dir/new"), new PatternStream(300_000, failAfter: 150_000), PutOptions.Default, Ct));

        Assert.Equal(["keep"], (await Backend.ListAsync(P("dir"), Ct).ToListAsync(Ct)).Select(e => e.Name));
    }

    [Fact]
    public async Task Put_ShortContent_ThrowsInvalidAndLeavesNothingInBackend()
    {
        await PutAsync("dir/keep", Data(10, 1));

        var e = await Assert.ThrowsAsync<VfsException>(
            async () => await Vfs.PutAsync(P("dir/short"), new MemoryStream(Data(10, 2)), new PutOptions(11), Ct));

        Assert.Equal(VfsErrorKind.Invalid, e.Kind);
        Assert.Equal(["keep"], (await Backend.ListAsync(P("dir"), Ct).ToListAsync(Ct)).Select(e => e.Name));
    }

    [Fact]
    public async Task Put_TempName_IsRejected()
    {
        var temp = TempNames.For(P("dir/obj"));

        var e = await Assert.ThrowsAsync<VfsException>(async () => await Vfs.PutAsync(temp, new MemoryStream(Data(1, 1)), new PutOptions(1), Ct));

        Assert.Equal(VfsErrorKind.Invalid, e.Kind);
    }

    [ConformanceFact]
    public async Task List_LeftoverTempFromCrash_IsHidden()
    {
        if (!Fixture.Supports(UnsupportedFeatures.TempNamedObjects))
        {
            throw new SkipException("the storage refuses temp-named objects, so none can be left over");
        }

        await PutAsync("dir/real", Data(3, 1));
        var leftover = TempNames.For(P("dir/real"));
        await Backend.PutAsync(leftover, new MemoryStream(Data(3, 2)), new PutOptions(3), Ct);

        Assert.Equal(["real"], await NamesAsync("dir"));
        Assert.Equal(["dir", "dir/real"], (await Vfs.ListRecursiveAsync(VfsPath.Root, Ct).ToListAsync(Ct)).Select(e => e.Path.Value).Order(StringComparer.Ordinal));
        Assert.Contains(await Backend.ListAsync(P("dir"), Ct).ToListAsync(Ct), e => e.Name == leftover.Name);
    }

    [Fact]
    public async Task ListRecursive_NativeAndWalked_Agree()
    {
        await PutAsync("a/1", Data(1, 1));
        await PutAsync("a/b/2", Data(2, 1));
        await PutAsync("a/b/c/3", Data(3, 1));
        await PutAsync("z", Data(4, 1));
        var walker = new VirtualFileSystem(new CapabilityHidingBackend(Backend));

        var native = await Vfs.ListRecursiveAsync(P("a"), Ct).ToListAsync(Ct);
        var walked = await walker.ListRecursiveAsync(P("a"), Ct).ToListAsync(Ct);

        static List<(string, long)> Files(List<Entry> entries) =>
            [.. entries.Where(e => !e.IsDirectory).Select(e => (e.Path.Value, e.Size)).Order()];
        Assert.Equal([("a/1", 1L), ("a/b/2", 2L), ("a/b/c/3", 3L)], Files(walked));
        Assert.Equal(Files(walked), Files(native));
    }

    [Fact]
    public async Task PutStatReadDelete_RoundTripThroughVfs()
    {
        var data = Data(250_000, 9);

        var put = await Vfs.PutAsync(P("x/y/obj"), new NonSeekableStream(new MemoryStream(data)), PutOptions.Default, Ct);
        var stat = await Vfs.StatAsync(P("x/y/obj"), Ct);
        var read = await ReadAsync("x/y/obj");
        var ranged = await ReadAsync("x/y/obj", new ByteRange(1000, 10));
        await Vfs.DeleteAsync(P("x/y/obj"), Ct);

        Assert.Equal(data.Length, put.Size);
        Assert.Equal(P("x/y/obj"), put.Path);
        Assert.Equal(data.Length, stat.Size);
        Assert.Equal(data, read);
        Assert.Equal(data.AsSpan(1000, 10).ToArray(), ranged);
        var e = await Assert.ThrowsAsync<VfsException>(async () => await Vfs.StatAsync(P("x/y/obj"), Ct));
        Assert.Equal(VfsErrorKind.NotFound, e.Kind);
    }

    [Fact]
    public async Task CopyAndMove_ThroughVfs_Work()
    {
        var data = Data(40_000, 5);
        await PutAsync("src", data);

        await Vfs.CopyAsync(P("src"), P("c/copy"), Ct);
        await Vfs.MoveAsync(P("c/copy"), P("m/moved"), Ct);

        Assert.Equal(data, await ReadAsync("src"));
        Assert.Equal(data, await ReadAsync("m/moved"));
        var e = await Assert.ThrowsAsync<VfsException>(async () => await Vfs.StatAsync(P("c/copy"), Ct));
        Assert.Equal(VfsErrorKind.NotFound, e.Kind);
    }

    private static VfsPath P(string path) => VfsPath.Parse(path);

    private static byte[] Data(int length, uint seed)
    {
        var data = new byte[length];
        using var source = new PatternStream(length, seed);
        source.ReadExactly(data);
        return data;
    }

    private async Task PutAsync(string path, byte[] data) =>
        await Vfs.PutAsync(P(path), new MemoryStream(data), new PutOptions(data.Length), Ct);

    private async Task<byte[]> ReadAsync(string path, ByteRange? range = null)
    {
        var stream = await Vfs.OpenReadAsync(P(path), range, Ct);
        await using (stream)
        {
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy, Ct);
            return copy.ToArray();
        }
    }

    private async Task<List<string>> NamesAsync(string dir) =>
        [.. (await Vfs.ListAsync(P(dir), Ct).ToListAsync(Ct)).Select(e => e.Name).Order(StringComparer.Ordinal)];
}
