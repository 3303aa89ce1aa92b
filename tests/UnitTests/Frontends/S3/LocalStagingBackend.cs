using VfsGateway.Vfs;

namespace VfsGateway.UnitTests.Frontends.S3;

/// <summary>A backend without the multipart capability (like local, sftp, ftp), so the S3 frontend stages parts on local disk.</summary>
internal sealed class LocalStagingBackend(IBackend inner) : IBackend
{
    public BackendFeatures Features { get; } = inner.Features with { Multipart = null };

    public IAsyncEnumerable<Entry> ListAsync(VfsPath dir, CancellationToken cancellationToken) => inner.ListAsync(dir, cancellationToken);

    public ValueTask<Entry> StatAsync(VfsPath path, CancellationToken cancellationToken) => inner.StatAsync(path, cancellationToken);

    public ValueTask<Stream> OpenReadAsync(VfsPath path, ByteRange? range, CancellationToken cancellationToken) => inner.OpenReadAsync(path, range, cancellationToken);

    public ValueTask<Entry> PutAsync(VfsPath path, Stream content, PutOptions options, CancellationToken cancellationToken) => inner.PutAsync(path, content, options, cancellationToken);

    public ValueTask DeleteAsync(VfsPath path, CancellationToken cancellationToken) => inner.DeleteAsync(path, cancellationToken);

    public ValueTask MkdirAsync(VfsPath dir, CancellationToken cancellationToken) => inner.MkdirAsync(dir, cancellationToken);

    public ValueTask RmdirAsync(VfsPath dir, CancellationToken cancellationToken) => inner.RmdirAsync(dir, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
