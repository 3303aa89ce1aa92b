using VfsGateway.Vfs;

namespace VfsGateway.Cli.Transfer;

/// <summary>A source stream that reports every byte read to the progress display.</summary>
internal sealed class CountingStream(Stream inner, TransferProgress progress) : ReadOnlyStream
{
    /// <summary>Bytes read so far (what a failed attempt takes back from the progress).</summary>
    public long Count { get; private set; }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Count += read;
        progress.AddBytes(read);
        return read;
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = inner.Read(buffer, offset, count);
        Count += read;
        progress.AddBytes(read);
        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
