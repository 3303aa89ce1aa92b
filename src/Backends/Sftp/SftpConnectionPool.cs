using Microsoft.Extensions.Logging;
using VfsGateway.Vfs;

namespace VfsGateway.Backends.Sftp;

/// <summary>
/// Up to N ssh connections, opened lazily and shared: SFTP multiplexes requests, so a caller
/// takes the least busy live connection and a new one is opened only while every open one is
/// busy. A dead connection (ssh exited, stream broke) is dropped and replaced on the next
/// acquire; operations that were on it failed with <see cref="VfsErrorKind.Transient"/>.
/// </summary>
internal sealed class SftpConnectionPool : IAsyncDisposable
{
    private static readonly TimeSpan OpenTimeout = TimeSpan.FromSeconds(90);

    private readonly Lock _lock = new();
    private readonly Func<CancellationToken, Task<SftpConnection>> _open;
    private readonly SftpConnection?[] _connections;
    private readonly Task<SftpConnection>?[] _opening;
    private readonly ILogger _logger;
    private readonly string _destination;
    private bool _disposed;

    public SftpConnectionPool(int size, Func<CancellationToken, Task<SftpConnection>> open, string destination, ILogger logger)
    {
        _open = open;
        _connections = new SftpConnection?[size];
        _opening = new Task<SftpConnection>?[size];
        _destination = destination;
        _logger = logger;
    }

    /// <summary>Live connections right now (for tests and diagnostics).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _connections.Count(c => c is { IsAlive: true });
            }
        }
    }

    /// <summary>The ssh process ids of the live connections (for tests and diagnostics).</summary>
    public int[] ProcessIds
    {
        get
        {
            lock (_lock)
            {
                return [.. _connections.OfType<SftpConnection>().Where(c => c.IsAlive).Select(c => c.ProcessId)];
            }
        }
    }

    public async ValueTask<SftpLease> AcquireAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task<SftpConnection> opening;
            lock (_lock)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                SftpConnection? best = null;
                Task<SftpConnection>? pending = null;
                var free = -1;
                for (var i = 0; i < _connections.Length; i++)
                {
                    var connection = _connections[i];
                    if (connection is { IsAlive: false } dead)
                    {
                        _connections[i] = connection = null;
                        Retire(dead);
                    }

                    if (connection is null)
                    {
                        if (_opening[i] is { } task)
                        {
                            pending ??= task;
                        }
                        else if (free < 0)
                        {
                            free = i;
                        }

                        continue;
                    }

                    if (best is null || connection.Active < best.Active)
                    {
                        best = connection;
                    }
                }

                if (best is not null && (best.Active == 0 || free < 0))
                {
                    best.Enter();
                    return new SftpLease(best);
                }

                if (free >= 0)
                {
                    var index = free;
                    opening = _opening[index] = Task.Run(() => OpenSlotAsync(index));
                }
                else
                {
                    opening = pending!;
                }
            }

            var opened = await opening.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (opened.IsAlive)
            {
                opened.Enter();
                return new SftpLease(opened);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        SftpConnection[] connections;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            connections = [.. _connections.OfType<SftpConnection>()];
            Array.Clear(_connections);
        }

        foreach (var connection in connections)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<SftpConnection> OpenSlotAsync(int index)
    {
        SftpConnection connection;
        try
        {
            // Not the caller's token: other callers may wait for this connection too.
            using var timeout = new CancellationTokenSource(OpenTimeout);
            connection = await _open(timeout.Token).ConfigureAwait(false);
        }
        catch
        {
            lock (_lock)
            {
                _opening[index] = null;
            }

            throw;
        }

        bool disposed;
        lock (_lock)
        {
            _opening[index] = null;
            disposed = _disposed;
            if (!disposed)
            {
                _connections[index] = connection;
            }
        }

        if (disposed)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new ObjectDisposedException(nameof(SftpConnectionPool));
        }

        return connection;
    }

    private void Retire(SftpConnection connection) => _ = RetireAsync(connection);

    private async Task RetireAsync(SftpConnection connection)
    {
        try
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            SftpLog.CleanupFailed(_logger, _destination, "a dead connection", e.Message);
        }
    }
}
