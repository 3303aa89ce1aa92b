using System.Runtime.CompilerServices;

namespace VfsGateway.Backends.Sftp.Protocol;

/// <summary>
/// Serializes packets to the ssh process's stdin. Senders copy a packet into the filling half of
/// a double buffer under a lock (no await, no allocation on the fast path); one writer thread
/// swaps halves and writes everything queued in one call, so 64 pipelined READ requests cost one
/// pipe write. A sender waits only when the filling half is full, which bounds memory.
/// </summary>
internal sealed class SftpOutbox : IDisposable
{
    // A plain monitor rather than System.Threading.Lock: the writer thread needs Monitor.Wait/Pulse.
    private readonly object _lock = new();
    private readonly Stream _stream;
    private readonly Thread _thread;
    private byte[] _fill;
    private byte[] _drain;
    private int _fillCount;
    private bool _closing;
    private Exception? _failure;
    private TaskCompletionSource? _spaceWaiter;

    public SftpOutbox(Stream stream, int capacity, string name)
    {
        _stream = stream;
        _fill = new byte[capacity];
        _drain = new byte[capacity];
        _thread = new Thread(WriteLoop) { IsBackground = true, Name = $"sftp-write {name}" };
    }

    /// <summary>Set when the writer thread stops because a write failed.</summary>
    public Action<Exception>? Failed { get; set; }

    public void Start() => _thread.Start();

    /// <summary>Queues <paramref name="packet"/> followed by <paramref name="trailer"/>; completes once both are copied.</summary>
    public ValueTask SendAsync(ReadOnlyMemory<byte> packet, ReadOnlyMemory<byte> trailer, CancellationToken cancellationToken)
    {
        return TryEnqueue(packet.Span, trailer.Span, out var waiter)
            ? ValueTask.CompletedTask
            : SendSlowAsync(packet, trailer, waiter!, cancellationToken);
    }

    /// <summary>Stops the writer thread after it flushed what is queued.</summary>
    public void Complete()
    {
        lock (_lock)
        {
            _closing = true;
            Monitor.PulseAll(_lock);
        }
    }

    public void Dispose() => Complete();

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendSlowAsync(ReadOnlyMemory<byte> packet, ReadOnlyMemory<byte> trailer, Task waiter, CancellationToken cancellationToken)
    {
        while (true)
        {
            await waiter.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (TryEnqueue(packet.Span, trailer.Span, out var next))
            {
                return;
            }

            waiter = next!;
        }
    }

    private bool TryEnqueue(ReadOnlySpan<byte> packet, ReadOnlySpan<byte> trailer, out Task? waiter)
    {
        var total = packet.Length + trailer.Length;
        lock (_lock)
        {
            if (_failure is not null || _closing)
            {
                throw new IOException("the sftp connection is closed", _failure);
            }

            if (_fillCount + total > _fill.Length)
            {
                if (_fillCount > 0)
                {
                    _spaceWaiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    waiter = _spaceWaiter.Task;
                    return false;
                }

                // A packet larger than the buffer (a huge chunk size): grow this half once.
                _fill = new byte[total];
            }

            packet.CopyTo(_fill.AsSpan(_fillCount));
            trailer.CopyTo(_fill.AsSpan(_fillCount + packet.Length));
            if (_fillCount == 0)
            {
                Monitor.Pulse(_lock);
            }

            _fillCount += total;
            waiter = null;
            return true;
        }
    }

    private void WriteLoop()
    {
        try
        {
            while (true)
            {
                int count;
                TaskCompletionSource? waiter;
                lock (_lock)
                {
                    while (_fillCount == 0 && !_closing)
                    {
                        Monitor.Wait(_lock);
                    }

                    if (_fillCount == 0)
                    {
                        break;
                    }

                    (_fill, _drain) = (_drain, _fill);
                    if (_fill.Length < _drain.Length)
                    {
                        _fill = new byte[_drain.Length];
                    }

                    count = _fillCount;
                    _fillCount = 0;
                    waiter = _spaceWaiter;
                    _spaceWaiter = null;
                }

                waiter?.TrySetResult();
                _stream.Write(_drain, 0, count);
                _stream.Flush();
            }

            _stream.Dispose();
        }
        catch (Exception e)
        {
            TaskCompletionSource? waiter;
            lock (_lock)
            {
                _failure = e;
                waiter = _spaceWaiter;
                _spaceWaiter = null;
            }

            waiter?.TrySetException(new IOException("the sftp connection is closed", e));
            Failed?.Invoke(e);
        }
    }
}
