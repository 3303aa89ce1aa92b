using VfsGateway.Vfs;

namespace VfsGateway.UnitTests.Frontends.S3;

/// <summary>A backend that outlives the Vfs using it: disposing is a no-op, so a second "restarted" gateway can open the same storage.</summary>
internal sealed class SharedBackend(IBackend inner) : IBackend
{
    public BackendFeatures Features => inner.Features;

    public IAsyncEnumerable<Entry> ListAsync(VfsPath dir, CancellationToken cancellationToken) => inner.ListAsync(dir, cancellationToken);

    public ValueTask<Entry> StatAsync(VfsPath path, CancellationToken cancellationToken) => inner.StatAsync(path, cancellationToken);

    public ValueTask<Stream> OpenReadAsync(VfsPath path, ByteRange? range, CancellationToken cancellationToken) => inner.OpenReadAsync(path, range, cancellationToken);

    public ValueTask<Entry> PutAsync(VfsPath path, Stream content, PutOptions options, CancellationToken cancellationToken) => inner.PutAsync(path, content, options, cancellationToken);

    public ValueTask DeleteAsync(VfsPath path, CancellationToken cancellationToken) => inner.DeleteAsync(path, cancellationToken);

    public ValueTask MkdirAsync(VfsPath dir, CancellationToken cancellationToken) => inner.MkdirAsync(dir, cancellationToken);

    public ValueTask RmdirAsync(VfsPath dir, CancellationToken cancellationToken) => inner.RmdirAsync(dir, cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
