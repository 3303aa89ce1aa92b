namespace VfsGateway.ConformanceTests.Support;

/// <summary>
/// Serves <c>first</c>, then signals <see cref="Paused"/> and waits for the test to call
/// <see cref="Finish"/> (serve <c>rest</c>) or <see cref="Fail"/> (throw): a client caught mid-upload.
/// </summary>
public sealed class GatedStream(byte[] first, byte[] rest) : Stream
{
    private readonly TaskCompletionSource _paused = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<bool> _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _position;

    public Task Paused => _paused.Task;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public void Finish() => _gate.TrySetResult(true);

    public void Fail() => _gate.TrySetResult(false);

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position < first.Length)
        {
            var n = Math.Min(buffer.Length, first.Length - _position);
            first.AsSpan(_position, n).CopyTo(buffer.Span);
            _position += n;
            return n;
        }

        _paused.TrySetResult();
        if (!await _gate.Task.WaitAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new InjectedFailureException("client went away mid-upload");
        }

        var offset = _position - first.Length;
        var m = Math.Min(buffer.Length, rest.Length - offset);
        rest.AsSpan(offset, m).CopyTo(buffer.Span);
        _position += m;
        return m;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("async only");

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
