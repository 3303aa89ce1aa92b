using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using VfsGateway.Backends.Sftp.Protocol;
using VfsGateway.Vfs;

namespace VfsGateway.Backends.Sftp;

/// <summary>
/// One `ssh -s HOST sftp` process and the SFTP session over its stdin/stdout. ssh's stderr goes
/// to the log line by line, and its last lines explain a failed start (host key, password).
/// </summary>
internal sealed class SftpConnection : IAsyncDisposable
{
    private const int StderrLinesKept = 20;

    private readonly Process _process;
    private readonly ILogger _logger;
    private readonly string _destination;
    private readonly Queue<string> _stderrTail = new();
    private readonly Task _stderrPump;
    private int _active;
    private int _disposed;

    private SftpConnection(Process process, string destination, ILogger logger)
    {
        _process = process;
        _destination = destination;
        _logger = logger;
        Session = new SftpSession(process.StandardOutput.BaseStream, process.StandardInput.BaseStream, destination);
        _stderrPump = PumpStderrAsync();
    }

    public SftpSession Session { get; }

    public bool IsAlive => Session.IsAlive && Volatile.Read(ref _disposed) == 0;

    /// <summary>The ssh process id (for logs and tests).</summary>
    public int ProcessId => _process.Id;

    /// <summary>Operations (and open read streams) currently using this connection.</summary>
    public int Active => Volatile.Read(ref _active);

    /// <summary>Starts ssh and completes the SFTP handshake; a failure explains itself from ssh's stderr.</summary>
    public static async Task<SftpConnection> OpenAsync(SftpOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        var start = SshCommandLine.Create(options);
        var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            process.Dispose();
            throw new VfsException(VfsErrorKind.Invalid, $"sftp: cannot run '{start.FileName}': {e.Message} (is the OpenSSH client installed?)", null, e);
        }

        var connection = new SftpConnection(process, options.Destination, logger);
        try
        {
            await connection.Session.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Closing ssh's stdin makes a still-running ssh exit; then its stderr says what went wrong.
            await connection.Session.DisposeAsync().ConfigureAwait(false);
            var (exitCode, stderr) = await connection.WaitForExitAsync().ConfigureAwait(false);
            await connection.DisposeAsync().ConfigureAwait(false);
            if (e is OperationCanceledException)
            {
                throw new VfsException(
                    VfsErrorKind.Transient,
                    $"sftp: connecting to {options.Destination} did not finish in time{(stderr.Length > 0 ? ". ssh said: " + stderr : string.Empty)}",
                    null,
                    e);
            }

            throw SftpErrors.ConnectFailed(options.Destination, exitCode, stderr, e);
        }

        _ = connection.WatchAsync();
        if (logger.IsEnabled(LogLevel.Information))
        {
            var extensions = string.Join(",", connection.Session.Extensions.Keys);
            SftpLog.ConnectionOpened(logger, options.Destination, process.Id, extensions);
        }
        return connection;
    }

    public void Enter() => Interlocked.Increment(ref _active);

    public void Exit() => Interlocked.Decrement(ref _active);

    /// <summary>Closes ssh's stdin (ssh then exits), waits a little, and kills it if it did not.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await Session.DisposeAsync().ConfigureAwait(false);
        try
        {
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            KillQuietly();
        }

        await Task.WhenAny(_stderrPump, Task.Delay(TimeSpan.FromSeconds(2))).ConfigureAwait(false);
        _process.Dispose();
    }

    private async Task WatchAsync()
    {
        await Session.Closed.ConfigureAwait(false);
        if (Volatile.Read(ref _disposed) == 0)
        {
            SftpLog.ConnectionLost(_logger, _destination, Session.Failure?.Message ?? "closed");
        }
    }

    /// <summary>After a failed handshake: ssh's exit code (null if it hangs) and the end of its stderr.</summary>
    private async Task<(int? ExitCode, string Stderr)> WaitForExitAsync()
    {
        int? exitCode = null;
        try
        {
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
            exitCode = _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            KillQuietly();
        }

        await Task.WhenAny(_stderrPump, Task.Delay(TimeSpan.FromSeconds(2))).ConfigureAwait(false);
        lock (_stderrTail)
        {
            return (exitCode, string.Join('\n', _stderrTail));
        }
    }

    private async Task PumpStderrAsync()
    {
        try
        {
            string? line;
            while ((line = await _process.StandardError.ReadLineAsync().ConfigureAwait(false)) is not null)
            {
                if (line.Length == 0)
                {
                    continue;
                }

                SftpLog.SshStderr(_logger, _destination, line);
                lock (_stderrTail)
                {
                    if (_stderrTail.Count == StderrLinesKept)
                    {
                        _stderrTail.Dequeue();
                    }

                    _stderrTail.Enqueue(line);
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // stderr closes with the process; nothing more to log.
        }
    }

    private void KillQuietly()
    {
        try
        {
            // Only this ssh process, by its own handle; never a process tree or a name.
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }
}
