using System.Collections.Concurrent;
using System.Security.Cryptography;
using VfsGateway.Backends.Memory;
using VfsGateway.Vfs;

namespace VfsGateway.UnitTests.Vfs.Cache;

/// <summary>
/// The memory backend behind a recorder: every completed put (path + SHA-256 of what was stored,
/// in completion order), operation counts, bytes read, and switches for an outage and for
/// holding puts at a gate. Faults go through the memory backend's own FaultInjector.
/// </summary>
internal sealed class RecordingBackend : IBackend
{
    private readonly MemoryBackend _inner = new(new MemoryOptions(VfsPath.Root));
    private readonly ConcurrentDictionary<string, int> _counts = new();
    private long _bytesRead;

    public RecordingBackend()
    {
        _inner.FaultInjector = Inject;
    }

    public BackendFeatures Features => _inner.Features;

    /// <summary>When set, every put fails with a transient error (the storage is down).</summary>
    public volatile bool PutOutage;

    /// <summary>When set, puts wait here before they start (an upload in flight).</summary>
    public ManualResetEventSlim? PutGate { get; set; }

    /// <summary>Signalled when a put reached the gate.</summary>
    public SemaphoreSlim PutsAtGate { get; } = new(0);

    public ConcurrentQueue<(string Path, string Sha256)> CompletedPuts { get; } = new();

    public long BytesRead => Interlocked.Read(ref _bytesRead);

    public IBackend Inner => _inner;

    public int Count(string operation) => _counts.GetValueOrDefault(operation);

    public IAsyncEnumerable<Entry> ListAsync(VfsPath dir, CancellationToken cancellationToken) => _inner.ListAsync(dir, cancellationToken);

    public ValueTask<Entry> StatAsync(VfsPath path, CancellationToken cancellationToken) => _inner.StatAsync(path, cancellationToken);

    public async ValueTask<Stream> OpenReadAsync(VfsPath path, ByteRange? range, CancellationToken cancellationToken)
    {
        var stream = await _inner.OpenReadAsync(path, range, cancellationToken);
        var ms = new MemoryStream();
        await stream.CopyToAsync(ms, cancellationToken);
        await stream.DisposeAsync();
        Interlocked.Add(ref _bytesRead, ms.Length);
        ms.Position = 0;
        return ms;
    }

    public async ValueTask<Entry> PutAsync(VfsPath path, Stream content, PutOptions options, CancellationToken cancellationToken)
    {
        var entry = await _inner.PutAsync(path, content, options, cancellationToken);
        var stored = await _inner.OpenReadAsync(path, null, CancellationToken.None);
        await using (stored)
        {
            CompletedPuts.Enqueue((path.Value, Convert.ToHexStringLower(await SHA256.HashDataAsync(stored, CancellationToken.None))));
        }

        return entry;
    }

    public ValueTask DeleteAsync(VfsPath path, CancellationToken cancellationToken) => _inner.DeleteAsync(path, cancellationToken);

    public ValueTask MkdirAsync(VfsPath dir, CancellationToken cancellationToken) => _inner.MkdirAsync(dir, cancellationToken);

    public ValueTask RmdirAsync(VfsPath dir, CancellationToken cancellationToken) => _inner.RmdirAsync(dir, cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private Exception? Inject(string operation, VfsPath path)
    {
        _counts.AddOrUpdate(operation, 1, (_, n) => n + 1);
        if (operation != "put")
        {
            return null;
        }

        if (PutGate is { } gate)
        {
            PutsAtGate.Release();
            gate.Wait(TimeSpan.FromSeconds(60));
        }

        return PutOutage ? new VfsException(VfsErrorKind.Transient, "injected outage: connection refused", path.Value) : null;
    }
}
