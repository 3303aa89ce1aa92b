using System.Threading.Tasks.Sources;

namespace VfsGateway.Backends.Sftp.Protocol;

/// <summary>
/// One request in flight, pooled per session so the hot path allocates nothing: its packet
/// writer, the destination of a READ's data, and the awaitable its reply completes. State moves
/// Pending → Delivering → Done under the reader loop, or Pending → Abandoned when the waiter is
/// cancelled; an abandoned request's reply is discarded (its destination is never touched again)
/// and the object is not reused.
/// </summary>
internal sealed class SftpRequest : IValueTaskSource<SftpResponse>
{
    private const int Pending = 0;
    private const int Delivering = 1;
    private const int Done = 2;
    private const int Abandoned = 3;

    private readonly SftpSession _owner;
    private ManualResetValueTaskSourceCore<SftpResponse> _core;
    private CancellationTokenRegistration _registration;
    private int _state;

    public SftpRequest(SftpSession owner)
    {
        _owner = owner;
        _core = new ManualResetValueTaskSourceCore<SftpResponse> { RunContinuationsAsynchronously = true };
    }

    public SftpPacketWriter Writer { get; } = new();

    public uint Id { get; set; }

    /// <summary>Where a DATA reply's bytes go; empty for requests whose reply is buffered.</summary>
    public Memory<byte> Destination { get; set; }

    public short Version => _core.Version;

    public ValueTask<SftpResponse> AsValueTask() => new(this, _core.Version);

    public void Reset()
    {
        _core.Reset();
        _state = Pending;
        Destination = default;
        _registration = default;
    }

    /// <summary>
    /// Lets <paramref name="cancellationToken"/> abandon the wait for the reply. Must run before the
    /// packet is sent: only then is the registration in place before a reply can complete the
    /// request and <see cref="Complete"/> can dispose it.
    /// </summary>
    public void Arm(CancellationToken cancellationToken)
    {
        if (cancellationToken.CanBeCanceled)
        {
            _registration = cancellationToken.UnsafeRegister(
                static (state, token) => ((SftpRequest)state!).TryAbandon(token), this);
        }
    }

    /// <summary>Drops the cancellation registration of a request that never reached the wire (its waiter is never awaited).</summary>
    public void Disarm() => _registration.Dispose();

    /// <summary>Called by the reader loop before it touches <see cref="Destination"/>; false when the waiter gave up.</summary>
    public bool TryBeginDelivery() => Interlocked.CompareExchange(ref _state, Delivering, Pending) == Pending;

    /// <summary>
    /// Completes a request for which <see cref="TryBeginDelivery"/> returned true. Disposing the
    /// registration (not just unregistering) waits out a cancellation callback that is running
    /// right now, so it can never fire into this object after it was recycled.
    /// </summary>
    public void Complete(in SftpResponse response)
    {
        _registration.Dispose();
        Volatile.Write(ref _state, Done);
        _core.SetResult(response);
    }

    /// <summary>Fails the request unless its waiter already gave up.</summary>
    public void Fail(Exception exception)
    {
        if (TryBeginDelivery())
        {
            _registration.Dispose();
            Volatile.Write(ref _state, Done);
            _core.SetException(exception);
        }
    }

    /// <summary>Fails a request whose delivery (see <see cref="TryBeginDelivery"/>) broke halfway.</summary>
    public void FailDelivery(Exception exception)
    {
        if (Volatile.Read(ref _state) == Delivering)
        {
            _registration.Dispose();
            Volatile.Write(ref _state, Done);
            _core.SetException(exception);
        }
    }

    /// <summary>Gives up waiting; true when the reader loop will never touch this request's destination.</summary>
    public bool TryAbandon(CancellationToken cancellationToken = default)
    {
        if (Interlocked.CompareExchange(ref _state, Abandoned, Pending) != Pending)
        {
            return false;
        }

        _core.SetException(new OperationCanceledException("sftp request abandoned", cancellationToken));
        return true;
    }

    /// <summary>True once the reply (or failure) was delivered, i.e. the destination is no longer written.</summary>
    public bool IsSettled => Volatile.Read(ref _state) is Done or Abandoned;

    SftpResponse IValueTaskSource<SftpResponse>.GetResult(short token)
    {
        var recycle = Volatile.Read(ref _state) == Done;
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            if (recycle)
            {
                _owner.Recycle(this);
            }
        }
    }

    ValueTaskSourceStatus IValueTaskSource<SftpResponse>.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource<SftpResponse>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
