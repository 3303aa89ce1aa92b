using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace VfsGateway.Vfs.Cache;

/// <summary>
/// Reads a dirty cache file for its upload and checks its SHA-256 against the record as the last
/// bytes are handed out: a cache file damaged on disk makes the put fail (the backend keeps the
/// previous object) instead of storing corrupt data.
/// </summary>
internal sealed class CacheUploadStream(SafeFileHandle handle, long size, string? expectedSha256, VfsPath path) : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => size;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var want = (int)Math.Min(buffer.Length, size - _position);
        var read = want <= 0 ? 0 : RandomAccess.Read(handle, buffer[..want], _position);
        return Advance(buffer[..read]);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var want = (int)Math.Min(buffer.Length, size - _position);
        var read = want <= 0 ? 0 : await RandomAccess.ReadAsync(handle, buffer[..want], _position, cancellationToken).ConfigureAwait(false);
        return Advance(buffer.Span[..read]);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Advance(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty && _position < size)
        {
            throw new VfsException(VfsErrorKind.Invalid, $"cache file of '{path}' is shorter than its record says", path.Value);
        }

        _hash.AppendData(data);
        _position += data.Length;
        if (_position == size && !data.IsEmpty && expectedSha256 is not null)
        {
            var actual = Convert.ToHexStringLower(_hash.GetHashAndReset());
            if (actual != expectedSha256)
            {
                throw new VfsException(VfsErrorKind.Invalid, $"cache file of '{path}' is damaged (SHA-256 {actual}, recorded {expectedSha256}); not uploading it", path.Value);
            }
        }

        return data.Length;
    }
}
