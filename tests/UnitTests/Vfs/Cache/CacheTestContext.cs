using System.Security.Cryptography;
using VfsGateway.Vfs;

namespace VfsGateway.UnitTests.Vfs.Cache;

/// <summary>A temp cache directory, a recording memory backend and quick options; removes the directory afterwards.</summary>
internal sealed class CacheTestContext : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly List<VirtualFileSystem> _opened = [];

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "vfs-cache-" + Guid.NewGuid().ToString("N"));

    public RecordingBackend Backend { get; } = new();

    public ListLogger Logger { get; } = new();

    public VfsOptions Options(VfsCacheMode mode = VfsCacheMode.Writes) => new()
    {
        CacheMode = mode,
        CacheDir = Path.Combine(Root, "cache"),
        WriteBack = TimeSpan.FromMilliseconds(50),
        UploadRetryDelay = TimeSpan.FromMilliseconds(50),
        MaxUploadRetryDelay = TimeSpan.FromMilliseconds(200),
        CachePollInterval = TimeSpan.FromMilliseconds(50),
        ReadChunkSize = 64 * 1024,
        ShutdownTimeout = TimeSpan.FromSeconds(5),
    };

    public VirtualFileSystem Open(VfsOptions options)
    {
        var vfs = new VirtualFileSystem(Backend, options, Logger);
        _opened.Add(vfs);
        return vfs;
    }

    public static byte[] Bytes(int size, int seed)
    {
        var data = new byte[size];
        new Random(seed).NextBytes(data);
        return data;
    }

    public static string Sha(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    public static async Task<Entry> PutAsync(VirtualFileSystem vfs, string path, byte[] data) =>
        await vfs.PutAsync(VfsPath.Parse(path), new MemoryStream(data), new PutOptions(data.Length), default);

    public static async Task<byte[]> ReadAsync(VirtualFileSystem vfs, string path, ByteRange? range = null)
    {
        var stream = await vfs.OpenReadAsync(VfsPath.Parse(path), range, default);
        await using (stream)
        {
            var ms = new MemoryStream();
            await stream.CopyToAsync(ms);
            return ms.ToArray();
        }
    }

    public async Task<byte[]> ReadBackendAsync(string path)
    {
        var stream = await Backend.Inner.OpenReadAsync(VfsPath.Parse(path), null, default);
        await using (stream)
        {
            var ms = new MemoryStream();
            await stream.CopyToAsync(ms);
            return ms.ToArray();
        }
    }

    public async Task<bool> BackendHasAsync(string path)
    {
        try
        {
            await Backend.Inner.StatAsync(VfsPath.Parse(path), default);
            return true;
        }
        catch (VfsException e) when (e.Kind == VfsErrorKind.NotFound)
        {
            return false;
        }
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; fails after a generous timeout (never a timed assertion).</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for: {what}");
            await Task.Delay(10);
        }
    }

    public IEnumerable<string> CacheFiles(string suffix) =>
        Directory.Exists(Path.Combine(Root, "cache", "items"))
            ? Directory.EnumerateFiles(Path.Combine(Root, "cache", "items"), "*" + suffix, SearchOption.AllDirectories)
            : [];

    public async ValueTask DisposeAsync()
    {
        Backend.PutOutage = false;
        Backend.PutGate?.Set();
        foreach (var vfs in _opened)
        {
            await vfs.StopAsync(TimeSpan.FromSeconds(5));
        }

        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
