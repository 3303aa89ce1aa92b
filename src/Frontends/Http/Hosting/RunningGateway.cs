using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace VfsGateway.Frontends.Http.Hosting;

/// <summary>A started server: its bound addresses and the means to wait for and perform shutdown.</summary>
internal sealed class RunningGateway : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly AccessLogWriter? _accessLog;
    private readonly TlsSettings? _tls;
    private readonly StdioEndPoint? _stdio;
    private readonly string? _socketToRemove;
    private readonly SighupReloader? _sighup;
    private int _stopped;

    internal RunningGateway(WebApplication app, IReadOnlyList<string> addresses, AccessLogWriter? accessLog, TlsSettings? tls, StdioEndPoint? stdio, string? socketToRemove, SighupReloader? sighup = null)
    {
        _sighup = sighup;
        _app = app;
        Addresses = addresses;
        _accessLog = accessLog;
        _tls = tls;
        _stdio = stdio;
        _socketToRemove = socketToRemove;
    }

    /// <summary>The URLs Kestrel bound, with real ports ("http://127.0.0.1:41234", "http://unix:/run/g.sock", "http://stdio").</summary>
    public IReadOnlyList<string> Addresses { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>What SIGHUP does (for tests that cannot signal their own process).</summary>
    internal IReadOnlyList<string> Reload() => _sighup?.Reload() ?? [];

    /// <summary>Completes when the server should stop: <paramref name="cancellationToken"/> fired, a
    /// signal arrived (SIGINT/SIGTERM via the host lifetime), or the --stdio connection ended.</summary>
    public async Task WaitForShutdownAsync(CancellationToken cancellationToken)
    {
        var lifetime = _app.Services.GetRequiredService<IHostApplicationLifetime>();
        var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var a = lifetime.ApplicationStopping.Register(() => stopping.TrySetResult());
        using var b = cancellationToken.Register(() => stopping.TrySetResult());
        await (_stdio is null ? stopping.Task : Task.WhenAny(stopping.Task, _stdio.Closed)).ConfigureAwait(false);
    }

    /// <summary>Stops listening, lets requests in flight finish (up to the shutdown timeout), flushes the access log.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        _sighup?.Dispose();
        try
        {
            await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            if (_accessLog is not null)
            {
                await _accessLog.DisposeAsync().ConfigureAwait(false);
            }

            if (_socketToRemove is not null)
            {
                UnixSocketFile.TryRemove(_socketToRemove);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _tls?.Dispose();
    }
}
