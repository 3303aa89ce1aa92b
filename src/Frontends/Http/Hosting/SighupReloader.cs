using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace VfsGateway.Frontends.Http.Hosting;

/// <summary>
/// SIGHUP as daemons use it: never the end of the server (the signal's default action would be),
/// but "reload what you can": the frontend's files (<see cref="IReloadableFrontend"/>), the TLS
/// certificate, and the --log file, reopened so that logrotate's postrotate step works.
/// </summary>
internal sealed partial class SighupReloader : IDisposable
{
    private readonly PosixSignalRegistration? _registration;
    private readonly HttpServerOptions _options;
    private readonly IHttpFrontend _frontend;
    private readonly TlsSettings? _tls;
    private readonly AccessLogWriter? _accessLog;
    private readonly ILogger _logger;

    public SighupReloader(HttpServerOptions options, IHttpFrontend frontend, TlsSettings? tls, AccessLogWriter? accessLog, ILogger logger)
    {
        _options = options;
        _frontend = frontend;
        _tls = tls;
        _accessLog = accessLog;
        _logger = logger;
        try
        {
            _registration = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
            {
                context.Cancel = true;
                Reload();
            });
        }
        catch (PlatformNotSupportedException)
        {
            // Windows: there is no SIGHUP to survive.
        }
    }

    /// <summary>Does what a SIGHUP does; returns the parts reloaded.</summary>
    public IReadOnlyList<string> Reload()
    {
        var done = new List<string>();
        if (_frontend is IReloadableFrontend reloadable)
        {
            done.AddRange(reloadable.Reload());
        }

        if (_tls is not null)
        {
            try
            {
                _tls.Reload(_options);
                done.Add("TLS certificate");
            }
            catch (GatewayStartupException e)
            {
                LogTlsReloadFailed(_logger, e.Message);
            }
        }

        if (_accessLog is not null && _options.LogFile is { Length: > 0 } and not "-")
        {
            _accessLog.Reopen();
            done.Add("access log reopened");
        }

        LogReloaded(_logger, done.Count == 0 ? "nothing to reload" : string.Join(", ", done));
        return done;
    }

    public void Dispose() => _registration?.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "SIGHUP: {What}")]
    private static partial void LogReloaded(ILogger logger, string what);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SIGHUP: keeping the current TLS certificate: {Reason}")]
    private static partial void LogTlsReloadFailed(ILogger logger, string reason);
}
