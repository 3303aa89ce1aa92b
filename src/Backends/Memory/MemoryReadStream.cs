using VfsGateway.Vfs;
namespace VfsGateway.Backends.Memory;

/// <summary>A read-only, seekable view of <c>length</c> bytes of a <see cref="MemoryFile"/> from <c>start</c>; copies straight out of the chunks.</summary>
internal sealed class MemoryReadStream(MemoryFile file, long start, long length) : ReadOnlyStream
{
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _position = value;
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var total = 0;
        while (buffer.Length > 0 && _position < length)
        {
            var absolute = start + _position;
            var chunk = file.Chunks[(int)(absolute / MemoryFile.ChunkSize)];
            var inChunk = (int)(absolute % MemoryFile.ChunkSize);
            var n = (int)Math.Min(Math.Min(buffer.Length, MemoryFile.ChunkSize - inChunk), length - _position);
            chunk.AsSpan(inChunk, n).CopyTo(buffer);
            buffer = buffer[n..];
            _position += n;
            total += n;
        }

        return total;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(buffer.Span));
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        return _position;
    }

}
