namespace VfsGateway.ConformanceTests.Support;

/// <summary>
/// A non-seekable stream of <c>length</c> deterministic pseudo-random bytes, generated on the fly
/// so large objects never sit in the test's memory. Optionally throws after <c>failAfter</c> bytes.
/// </summary>
public sealed class PatternStream(long length, uint seed = 1, long failAfter = -1) : Stream
{
    private uint _state = seed == 0 ? 1u : seed;
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (failAfter >= 0 && _position >= failAfter)
        {
            throw new InjectedFailureException($"content stream failed after {_position} bytes");
        }

        var limit = failAfter >= 0 ? Math.Min(length, failAfter) : length;
        var n = (int)Math.Min(buffer.Length, limit - _position);
        for (var i = 0; i < n; i++)
        {
            // xorshift32: cheap, deterministic, and no byte pattern a store could deduplicate.
            _state ^= _state << 13;
            _state ^= _state >> 17;
            _state ^= _state << 5;
            buffer[i] = (byte)_state;
        }

        _position += n;
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(buffer.Span));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
