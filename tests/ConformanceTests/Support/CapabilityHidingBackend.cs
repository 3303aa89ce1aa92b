using VfsGateway.Vfs;

namespace VfsGateway.ConformanceTests.Support;

/// <summary>Presents a backend without its optional capabilities, to exercise the Vfs fallbacks on any backend.</summary>
public sealed class CapabilityHidingBackend(IBackend inner) : IBackend
{
    public BackendFeatures Features { get; } = inner.Features with { Copy = null, Move = null, ListRecursive = null, About = null };

    public IAsyncEnumerable<Entry> ListAsync(VfsPath dir, CancellationToken cancellationToken) => inner.ListAsync(dir, cancellationToken);

    public ValueTask<Entry> StatAsync(VfsPath path, CancellationToken cancellationToken) => inner.StatAsync(path, cancellationToken);

    public ValueTask<Stream> OpenReadAsync(VfsPath path, ByteRange? range, CancellationToken cancellationToken) =>
        inner.OpenReadAsync(path, range, cancellationToken);

    public ValueTask<Entry> PutAsync(VfsPath path, Stream content, PutOptions options, CancellationToken cancellationToken) =>
        inner.PutAsync(path, content, options, cancellationToken);

    public ValueTask DeleteAsync(VfsPath path, CancellationToken cancellationToken) => inner.DeleteAsync(path, cancellationToken);

    public ValueTask MkdirAsync(VfsPath dir, CancellationToken cancellationToken) => inner.MkdirAsync(dir, cancellationToken);

    public ValueTask RmdirAsync(VfsPath dir, CancellationToken cancellationToken) => inner.RmdirAsync(dir, cancellationToken);

    /// <summary>The wrapped backend belongs to the test, which disposes it.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
