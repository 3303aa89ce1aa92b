using System.Globalization;
using System.Runtime.CompilerServices;
using VfsGateway.Vfs;

namespace VfsGateway.UnitTests.Frontends.Restic;

/// <summary>
/// Delegates to another backend, except that one directory lists <c>count</c> generated files,
/// produced lazily and counted, so a test can see how far the listing got while the client reads.
/// Implements no optional capability, so the Vfs falls back to its own walks.
/// </summary>
internal sealed class GeneratedListingBackend(IBackend inner, VfsPath directory, int count) : IBackend
{
    private int _produced;

    public int Produced => Volatile.Read(ref _produced);

    public BackendFeatures Features { get; } = BackendFeatures.Discover(new object());

    public static string IdFor(int i) => i.ToString("x64", CultureInfo.InvariantCulture);

    public async IAsyncEnumerable<Entry> ListAsync(VfsPath dir, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (dir != directory)
        {
            await foreach (var entry in inner.ListAsync(dir, cancellationToken))
            {
                yield return entry;
            }

            yield break;
        }

        for (var i = 0; i < count; i++)
        {
            Interlocked.Increment(ref _produced);
            yield return Entry.File(directory.Join(IdFor(i)), i, DateTimeOffset.UnixEpoch);
            if (i % 512 == 0)
            {
                await Task.Yield();
            }
        }
    }

    public ValueTask<Entry> StatAsync(VfsPath path, CancellationToken cancellationToken) => inner.StatAsync(path, cancellationToken);

    public ValueTask<Stream> OpenReadAsync(VfsPath path, ByteRange? range, CancellationToken cancellationToken) => inner.OpenReadAsync(path, range, cancellationToken);

    public ValueTask<Entry> PutAsync(VfsPath path, Stream content, PutOptions options, CancellationToken cancellationToken) => inner.PutAsync(path, content, options, cancellationToken);

    public ValueTask DeleteAsync(VfsPath path, CancellationToken cancellationToken) => inner.DeleteAsync(path, cancellationToken);

    public ValueTask MkdirAsync(VfsPath dir, CancellationToken cancellationToken) => inner.MkdirAsync(dir, cancellationToken);

    public ValueTask RmdirAsync(VfsPath dir, CancellationToken cancellationToken) => inner.RmdirAsync(dir, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
