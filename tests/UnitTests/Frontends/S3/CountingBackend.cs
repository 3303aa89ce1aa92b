using System.Collections.Concurrent;
using VfsGateway.Vfs;

namespace VfsGateway.UnitTests.Frontends.S3;

/// <summary>Delegates to another backend and records which directories were listed.</summary>
internal sealed class CountingBackend(IBackend inner) : IBackend
{
    public ConcurrentQueue<string> Listed { get; } = new();

    /// <summary>Puts take at least this long (a slow storage).</summary>
    public TimeSpan PutDelay { get; set; }

    /// <summary>When set, puts fail with it after <see cref="PutDelay"/>.</summary>
    public Exception? PutFailure { get; set; }

    public BackendFeatures Features { get; } = new() { CanHaveEmptyDirectories = true };

    public IAsyncEnumerable<Entry> ListAsync(VfsPath dir, CancellationToken cancellationToken)
    {
        Listed.Enqueue(dir.Value);
        return inner.ListAsync(dir, cancellationToken);
    }

    public ValueTask<Entry> StatAsync(VfsPath path, CancellationToken cancellationToken) => inner.StatAsync(path, cancellationToken);

    public ValueTask<Stream> OpenReadAsync(VfsPath path, ByteRange? range, CancellationToken cancellationToken) => inner.OpenReadAsync(path, range, cancellationToken);

    public async ValueTask<Entry> PutAsync(VfsPath path, Stream content, PutOptions options, CancellationToken cancellationToken)
    {
        await Task.Delay(PutDelay, cancellationToken);
        return PutFailure is { } failure ? throw failure : await inner.PutAsync(path, content, options, cancellationToken);
    }

    public ValueTask DeleteAsync(VfsPath path, CancellationToken cancellationToken) => inner.DeleteAsync(path, cancellationToken);

    public ValueTask MkdirAsync(VfsPath dir, CancellationToken cancellationToken) => inner.MkdirAsync(dir, cancellationToken);

    public ValueTask RmdirAsync(VfsPath dir, CancellationToken cancellationToken) => inner.RmdirAsync(dir, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
