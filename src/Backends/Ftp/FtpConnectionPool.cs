using Microsoft.Extensions.Logging;
using VfsGateway.Backends.Ftp.Protocol;

namespace VfsGateway.Backends.Ftp;

/// <summary>
/// Up to <c>concurrency</c> logged-in control connections. FTP runs one command (and one transfer)
/// at a time per connection, so each operation leases a connection exclusively. Idle connections
/// are kept alive with NOOP and closed after the idle timeout; one idle for a while is checked
/// with NOOP before it is handed out. A connection that broke (dropped, timed out, 421, an
/// unfinished transfer) is discarded, and with it every idle one: a broken connection usually
/// means the server restarted, so the next operation starts on a fresh login.
/// </summary>
internal sealed class FtpConnectionPool : IAsyncDisposable
{
    /// <summary>An idle connection older than this is checked with NOOP before use.</summary>
    private static readonly TimeSpan CheckAfter = TimeSpan.FromSeconds(10);

    private readonly Lock _lock = new();
    private readonly Stack<FtpSession> _idle = new();
    private readonly SemaphoreSlim _slots;
    private readonly Func<CancellationToken, Task<FtpSession>> _open;
    private readonly TimeSpan _idleTimeout;
    private readonly TimeSpan _keepAlive;
    private readonly ITimer _timer;
    private readonly ILogger _logger;
    private readonly string _destination;
    private int _openCount;
    private bool _disposed;

    public FtpConnectionPool(int size, TimeSpan idleTimeout, Func<CancellationToken, Task<FtpSession>> open, string destination, ILogger logger)
    {
        _slots = new SemaphoreSlim(size, size);
        _open = open;
        _idleTimeout = idleTimeout;
        _keepAlive = TimeSpan.FromTicks(Math.Min(idleTimeout.Ticks / 2, TimeSpan.FromSeconds(30).Ticks));
        _destination = destination;
        _logger = logger;
        var period = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(500).Ticks, Math.Min(_keepAlive.Ticks / 2, TimeSpan.FromSeconds(10).Ticks)));
        _timer = TimeProvider.System.CreateTimer(_ => _ = SweepAsync(), null, period, period);
    }

    /// <summary>Connections open right now, idle or leased (for tests and diagnostics).</summary>
    public int Count => Volatile.Read(ref _openCount);

    /// <summary>Idle connections right now.</summary>
    public int IdleCount
    {
        get
        {
            lock (_lock)
            {
                return _idle.Count;
            }
        }
    }

    public async ValueTask<FtpLease> AcquireAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (TryTakeIdle() is { } session)
            {
                if (session.IsPeerClosed ||
                    (Environment.TickCount64 - session.LastUsed > CheckAfter.TotalMilliseconds && !await session.PingAsync(cancellationToken).ConfigureAwait(false)))
                {
                    await CloseAsync(session).ConfigureAwait(false);
                    continue;
                }

                return new FtpLease(this, session);
            }

            var opened = await _open(cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _openCount);
            return new FtpLease(this, opened);
        }
        catch
        {
            _slots.Release();
            throw;
        }
    }

    /// <summary>Called once per lease: keeps a healthy connection, closes a retired one, discards a broken one (and the idle ones with it).</summary>
    public void Return(FtpSession session)
    {
        List<FtpSession> close;
        var broken = session.IsBroken;
        lock (_lock)
        {
            if (broken || _disposed)
            {
                close = [session, .. _idle];
                _idle.Clear();
            }
            else if (session.IsRetired)
            {
                close = [session];
            }
            else
            {
                _idle.Push(session);
                close = [];
            }
        }

        _slots.Release();
        if (broken && !_disposed)
        {
            FtpLog.ConnectionDiscarded(_logger, _destination, close.Count - 1);
        }

        foreach (var s in close)
        {
            _ = CloseAsync(s);
        }
    }

    public async ValueTask DisposeAsync()
    {
        FtpSession[] idle;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            idle = [.. _idle];
            _idle.Clear();
        }

        await _timer.DisposeAsync().ConfigureAwait(false);
        foreach (var session in idle)
        {
            await CloseAsync(session).ConfigureAwait(false);
        }
    }

    private FtpSession? TryTakeIdle()
    {
        lock (_lock)
        {
            return _idle.TryPop(out var session) ? session : null;
        }
    }

    /// <summary>Closes connections idle past the timeout and sends NOOP on those idle past half of it (taking a slot meanwhile).</summary>
    private async Task SweepAsync()
    {
        var now = Environment.TickCount64;
        List<FtpSession> expired = [];
        List<FtpSession> ping = [];
        lock (_lock)
        {
            if (_disposed || _idle.Count == 0)
            {
                return;
            }

            var keep = new List<FtpSession>();
            foreach (var session in _idle)
            {
                var idle = now - session.LastUsed;
                if (idle >= _idleTimeout.TotalMilliseconds || session.IsBroken)
                {
                    expired.Add(session);
                }
                else if (idle >= _keepAlive.TotalMilliseconds && _slots.Wait(0))
                {
                    ping.Add(session);
                }
                else
                {
                    keep.Add(session);
                }
            }

            _idle.Clear();
            for (var i = keep.Count - 1; i >= 0; i--)
            {
                _idle.Push(keep[i]);
            }
        }

        foreach (var session in expired)
        {
            await CloseAsync(session).ConfigureAwait(false);
        }

        foreach (var session in ping)
        {
            // The session's own reply timeout bounds a NOOP to a silent server.
            if (!await session.PingAsync(CancellationToken.None).ConfigureAwait(false))
            {
                session.Invalidate();
            }

            // Return releases the slot taken above; a failed NOOP discards it.
            Return(session);
        }
    }

    private async Task CloseAsync(FtpSession session)
    {
        Interlocked.Decrement(ref _openCount);
        try
        {
            await session.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            FtpLog.CleanupFailed(_logger, _destination, "closing a connection", e.Message);
        }
    }
}
