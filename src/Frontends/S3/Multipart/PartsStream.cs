using VfsGateway.Vfs;

namespace VfsGateway.Frontends.S3.Multipart;

/// <summary>The staged parts of a multipart upload read back to back, one open file at a time.</summary>
internal sealed class PartsStream(MultipartStore store, string uploadId, IReadOnlyList<int> partNumbers) : ReadOnlyStream
{
    private int _index;
    private FileStream? _current;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_index < partNumbers.Count)
        {
            _current ??= store.OpenPart(uploadId, partNumbers[_index]);
            var n = await _current.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (n > 0)
            {
                return n;
            }

            await _current.DisposeAsync().ConfigureAwait(false);
            _current = null;
            _index++;
        }

        return 0;
    }

    protected override void Dispose(bool disposing)
    {
        _current?.Dispose();
        _current = null;
        base.Dispose(disposing);
    }
}
