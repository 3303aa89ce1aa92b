using System.Runtime.CompilerServices;
using VfsGateway.Vfs;

namespace VfsGateway.Backends.Sftp.Protocol;

/// <summary>
/// One SFTP v3 session over a byte stream pair (the stdout/stdin of `ssh -s HOST sftp`, or an
/// in-memory pair in tests). Any number of callers may have requests in flight: sends are
/// serialized through <see cref="SftpOutbox"/>, and one reader thread dispatches replies by id to
/// their <see cref="SftpRequest"/>, copying a READ's data straight into the caller's buffer.
/// When the stream ends or breaks every waiter fails with <see cref="VfsErrorKind.Transient"/>
/// and the session stays dead; the pool replaces it.
/// </summary>
internal sealed partial class SftpSession : IAsyncDisposable
{
    public const uint ProtocolVersion = 3;

    /// <summary>Far above any real reply (OpenSSH sends at most 256 KiB); bounds a corrupt length prefix.</summary>
    private const int MaxPacketLength = 16 * 1024 * 1024;
    private const int MaxFreeRequests = 256;

    private readonly Lock _lock = new();
    private readonly Dictionary<uint, SftpRequest> _pending = [];
    private readonly Stack<SftpRequest> _free = new();
    private readonly SftpInput _input;
    private readonly SftpOutbox _outbox;
    private readonly Thread _reader;
    private readonly TaskCompletionSource<IReadOnlyDictionary<string, string>> _version =
        new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private uint _nextId;
    private Exception? _failure;
    private bool _disposed;

    /// <param name="fromServer">The server's replies (ssh's stdout); read with blocking calls on a dedicated thread.</param>
    /// <param name="toServer">Where requests go (ssh's stdin); written by a dedicated thread.</param>
    /// <param name="name">user@host, for messages.</param>
    public SftpSession(Stream fromServer, Stream toServer, string name)
    {
        Name = name;
        _input = new SftpInput(fromServer, 256 * 1024);
        _outbox = new SftpOutbox(toServer, 512 * 1024, name) { Failed = e => Fail(e) };
        _reader = new Thread(ReadLoop) { IsBackground = true, Name = $"sftp-read {name}" };
    }

    public string Name { get; }

    /// <summary>The extensions the server announced in SSH_FXP_VERSION (name → data).</summary>
    public IReadOnlyDictionary<string, string> Extensions { get; private set; } = new Dictionary<string, string>();

    /// <summary>The server's limits@openssh.com figures; null when it does not announce them.</summary>
    public SftpLimits? Limits { get; private set; }

    public bool IsAlive => Volatile.Read(ref _failure) is null;

    /// <summary>Why the session died, once it did.</summary>
    public Exception? Failure => Volatile.Read(ref _failure);

    /// <summary>Completes when the reader loop ended (the server closed the stream or it broke).</summary>
    public Task Closed => _closed.Task;

    /// <summary>Requests sent whose replies have not arrived (a load figure for the pool).</summary>
    public int PendingCount
    {
        get
        {
            lock (_lock)
            {
                return _pending.Count;
            }
        }
    }

    public bool HasExtension(string name) => Extensions.ContainsKey(name);

    /// <summary>Sends SSH_FXP_INIT, waits for SSH_FXP_VERSION and reads limits@openssh.com when offered.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _reader.Start();
        _outbox.Start();
        using (var init = new SftpPacketWriter(16))
        {
            init.StartInit(ProtocolVersion);
            await SendRawAsync(init.Finish(), cancellationToken).ConfigureAwait(false);
        }

        Extensions = await _version.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (HasExtension(SftpExtensionNames.Limits))
        {
            Limits = await GetLimitsAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Closes the request stream (ssh then exits) and fails whatever is still waiting.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        _outbox.Complete();
        await Task.WhenAny(_closed.Task, Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
        Fail(new ObjectDisposedException(nameof(SftpSession), "the sftp session was closed"));
    }

    /// <summary>A request with its header written; the caller appends the body and sends it.</summary>
    internal SftpRequest CreateRequest(SftpPacketType type)
    {
        SftpRequest? request = null;
        lock (_lock)
        {
            _free.TryPop(out request);
        }

        request ??= new SftpRequest(this);
        request.Id = Interlocked.Increment(ref _nextId);
        request.Writer.Start(type, request.Id);
        return request;
    }

    /// <summary>
    /// Queues <paramref name="request"/> (plus a WRITE's data in <paramref name="trailer"/>, which may
    /// be reused once this completes) and arms its reply, awaited through <see cref="SftpRequest.AsValueTask"/>.
    /// </summary>
    internal ValueTask SendAsync(SftpRequest request, ReadOnlyMemory<byte> trailer, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_failure is not null)
            {
                throw Lost(_failure);
            }

            _pending.Add(request.Id, request);
        }

        // Armed before the packet can reach the server: a reply may complete (and recycle) the
        // request before SendAsync returns, and a registration made after that would outlive this
        // use and later abandon whichever request the pooled object serves then.
        request.Arm(cancellationToken);
        ValueTask sent;
        try
        {
            sent = _outbox.SendAsync(request.Writer.Finish(trailer.Length), trailer, cancellationToken);
        }
        catch (IOException e)
        {
            Forget(request);
            throw Lost(Failure ?? e);
        }

        if (sent.IsCompletedSuccessfully)
        {
            return ValueTask.CompletedTask;
        }

        return AwaitSendAsync(sent, request);
    }

    internal void Recycle(SftpRequest request)
    {
        request.Reset();
        lock (_lock)
        {
            if (_free.Count < MaxFreeRequests)
            {
                _free.Push(request);
                return;
            }
        }

        request.Writer.Dispose();
    }

    /// <summary>A reply that breaks the protocol: the session cannot be trusted any more.</summary>
    internal VfsException ProtocolError(string message)
    {
        var e = new SftpProtocolException(message);
        Fail(e);
        return Lost(e);
    }

    private VfsException Lost(Exception reason) =>
        reason is VfsException { IsTransient: true } v
            ? v
            : new VfsException(VfsErrorKind.Transient, $"sftp connection to {Name} lost: {reason.Message}", null, reason);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask AwaitSendAsync(ValueTask sent, SftpRequest request)
    {
        try
        {
            await sent.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Forget(request);
            throw;
        }
        catch (IOException e)
        {
            Forget(request);
            throw Lost(Failure ?? e);
        }
    }

    private ValueTask SendRawAsync(ReadOnlyMemory<byte> packet, CancellationToken cancellationToken)
    {
        try
        {
            return _outbox.SendAsync(packet, default, cancellationToken);
        }
        catch (IOException e)
        {
            throw Lost(Failure ?? e);
        }
    }

    /// <summary>Takes back a request that never reached the wire.</summary>
    private void Forget(SftpRequest request)
    {
        lock (_lock)
        {
            _pending.Remove(request.Id);
        }

        request.Disarm();
    }

    /// <summary>Marks the session dead (once) and fails every waiter; returns the exception they got.</summary>
    private VfsException Fail(Exception reason)
    {
        List<SftpRequest> waiting;
        VfsException lost;
        lock (_lock)
        {
            if (_failure is not null)
            {
                return Lost(_failure);
            }

            _failure = reason;
            lost = Lost(reason);
            waiting = [.. _pending.Values];
            _pending.Clear();
        }

        foreach (var request in waiting)
        {
            request.Fail(lost);
        }

        _outbox.Complete();
        _version.TrySetException(lost);
        return lost;
    }
}
