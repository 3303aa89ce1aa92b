using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VfsGateway.Frontends.Http.Hosting;

namespace VfsGateway.Frontends.Http;

/// <summary>
/// Runs one <see cref="IHttpFrontend"/> on Kestrel: the listener (TCP, Unix socket, or one HTTP/2
/// cleartext connection on stdin/stdout), TLS, the access log and limits. Startup is ordered so
/// that a configuration error is reported before anything is bound: address, TLS files, access log,
/// then <see cref="IHttpFrontend.StartAsync"/>, then Kestrel. <see cref="RunAsync(HttpServerOptions, IHttpFrontend, ILoggerFactory, CancellationToken)"/>
/// returns the process exit code: 0 after a clean shutdown (SIGINT/SIGTERM, the token, or the end
/// of the --stdio connection), 1 when the server could not start (one line on stderr).
/// Diagnostics go through <paramref name="loggerFactory"/>, which the caller configures (see
/// <c>GatewayLogging</c>: everything to stderr, Debug level with <see cref="HttpServerOptions.Debug"/>).
/// </summary>
public static partial class GatewayHost
{
    public static Task<int> RunAsync(HttpServerOptions options, IHttpFrontend frontend, ILoggerFactory loggerFactory, CancellationToken cancellationToken) =>
        RunAsync(options, frontend, loggerFactory, new GatewayHostSettings(), cancellationToken);

    public static async Task<int> RunAsync(HttpServerOptions options, IHttpFrontend frontend, ILoggerFactory loggerFactory, GatewayHostSettings settings, CancellationToken cancellationToken)
    {
        var diagnostics = settings.Diagnostics ?? Console.Error;
        RunningGateway gateway;
        try
        {
            gateway = await StartAsync(options, frontend, loggerFactory, settings, cancellationToken).ConfigureAwait(false);
        }
        catch (GatewayStartupException e)
        {
            await diagnostics.WriteLineAsync($"gateway: {e.Message}").ConfigureAwait(false);
            return 1;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 0;
        }

        await using (gateway.ConfigureAwait(false))
        {
            var logger = loggerFactory.CreateLogger(typeof(GatewayHost));
            foreach (var address in gateway.Addresses)
            {
                var line = $"serving {settings.Description} on {address}/" + (settings.Remote is null ? string.Empty : $" ({settings.Remote})");
                if (options.Stdio)
                {
                    // restic shows its backend program's stderr to the user: stay quiet unless debugging.
                    LogStartup(logger, line);
                }
                else
                {
                    await diagnostics.WriteLineAsync(line).ConfigureAwait(false);
                    await diagnostics.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                }
            }

            await gateway.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            LogStopping(logger);
            await gateway.StopAsync().ConfigureAwait(false);
        }

        return 0;
    }

    /// <summary>Validates, starts the frontend, binds and starts Kestrel; throws <see cref="GatewayStartupException"/> for anything an operator must fix.</summary>
    internal static async Task<RunningGateway> StartAsync(HttpServerOptions options, IHttpFrontend frontend, ILoggerFactory loggerFactory, GatewayHostSettings settings, CancellationToken cancellationToken)
    {
        ListenAddress? address = null;
        StdioEndPoint? stdio = null;
        if (options.Stdio)
        {
            if (options.Tls)
            {
                throw new GatewayStartupException("--tls cannot be combined with --stdio (the pipe is private and speaks cleartext HTTP/2)");
            }

            var output = settings.StdioOutput;
            if (output is null)
            {
                output = Console.OpenStandardOutput();

                // stdout now carries HTTP/2 frames: a stray Console.Write anywhere would corrupt the stream.
                Console.SetOut(Console.Error);
            }

            stdio = new StdioEndPoint(settings.StdioInput ?? Console.OpenStandardInput(), output);
        }
        else
        {
            address = ListenAddress.Parse(options.Address);
        }

        var tls = TlsSettings.Load(options);
        AccessLogWriter? accessLog = null;
        try
        {
            if (!string.IsNullOrEmpty(options.LogFile))
            {
                // In --stdio mode stdout is the HTTP/2 stream: "-" means stderr there.
                var standard = options.Stdio ? settings.Diagnostics ?? Console.Error : settings.StandardOutput ?? Console.Out;
                accessLog = AccessLogWriter.Open(options.LogFile, standard);
            }

            var addresses = address is null ? null : await ResolveAsync(address, cancellationToken).ConfigureAwait(false);
            if (address?.Kind == ListenAddressKind.Unix)
            {
                UnixSocketFile.RemoveIfStale(address.SocketPath!);
            }

            await frontend.StartAsync(cancellationToken).ConfigureAwait(false);
            var app = Build(frontend, loggerFactory, settings, address, addresses, tls, stdio, accessLog);
            try
            {
                await app.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or SocketException or InvalidOperationException)
            {
                await app.DisposeAsync().ConfigureAwait(false);
                throw new GatewayStartupException($"cannot listen on {address?.ToString() ?? "stdio"}: {BindError(e)}", e);
            }

            var bound = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.ToArray();
            var sighup = new SighupReloader(options, frontend, tls, accessLog, loggerFactory.CreateLogger(typeof(GatewayHost)));
            return new RunningGateway(app, bound, accessLog, tls, stdio, address?.Kind == ListenAddressKind.Unix ? address.SocketPath : null, sighup);
        }
        catch
        {
            if (accessLog is not null)
            {
                await accessLog.DisposeAsync().ConfigureAwait(false);
            }

            tls?.Dispose();
            throw;
        }
    }

    private static WebApplication Build(IHttpFrontend frontend, ILoggerFactory loggerFactory, GatewayHostSettings settings, ListenAddress? address, IPAddress[]? addresses, TlsSettings? tls, StdioEndPoint? stdio, AccessLogWriter? accessLog)
    {
        // The empty builder reads no appsettings.json and no ASPNETCORE_* variables: the flags are the whole configuration.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "gateway" });
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = settings.ShutdownTimeout);
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        if (stdio is not null)
        {
            builder.Services.AddSingleton<IConnectionListenerFactory, StdioConnectionListenerFactory>();
        }

        builder.WebHost.UseKestrelCore();
        if (settings.InlineSocketIo)
        {
            builder.WebHost.UseSockets(o => o.UnsafePreferInlineScheduling = true);
        }

        builder.Services.AddSingleton<IMemoryPoolFactory<byte>, LargeBlockMemoryPoolFactory>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            ConfigureLimits(kestrel.Limits, stdio is not null);
            if (stdio is not null)
            {
                // restic's rclone: backend speaks HTTP/2 with prior knowledge over the pipe.
                kestrel.Listen(stdio, listen => listen.Protocols = HttpProtocols.Http2);
                return;
            }

            Listen(kestrel, address!, addresses, listen =>
            {
                // HTTP/2 needs ALPN; on cleartext TCP Kestrel would only warn and fall back to HTTP/1.1.
                listen.Protocols = tls is null ? HttpProtocols.Http1 : HttpProtocols.Http1AndHttp2;
                if (tls is not null)
                {
                    listen.Use(PlainHttpOnTlsPort.Create);
                    listen.UseHttps(new HttpsConnectionAdapterOptions
                    {
                        // A selector rather than a fixed certificate so that SIGHUP can swap in a renewed one.
                        ServerCertificateSelector = (_, _) => tls.Certificate,
                        SslProtocols = tls.Protocols,
                    });
                }
            });
        });

        var app = builder.Build();
        if (accessLog is not null)
        {
            app.Use(next => new AccessLogMiddleware(next, accessLog, settings.Clock).InvokeAsync);
        }

        // Health probes come after the access log (so they are visible there) and before the
        // frontend's routing and authentication.
        app.Use(next => HealthEndpoints.Create(next, settings.Readiness));
        app.Run(frontend.HandleAsync);
        return app;
    }

    private static void ConfigureLimits(KestrelServerLimits limits, bool stdio)
    {
        // restic packs and S3 objects are large; quotas are the frontend's business.
        limits.MaxRequestBodySize = null;
        limits.RequestHeadersTimeout = TimeSpan.FromSeconds(30);

        // Object downloads read the next block while the socket still sends the previous ones; with
        // Kestrel's default of 64 KiB (one block) every flush waited for the send to finish.
        limits.MaxResponseBufferSize = 1024 * 1024;
        if (stdio)
        {
            // The single pipe connection lives as long as the restic process, which may sit idle for
            // minutes while it scans files; Go's http2 server (rclone) has no idle or rate limits either.
            // Not Timeout.InfiniteTimeSpan: Kestrel's HTTP/2 keep-alive adds it (-1 ms) to "now" and
            // closed the idle connection about one heartbeat later (restic: "rclone stdio connection
            // already closed" right after its key derivation pause).
            limits.KeepAliveTimeout = TimeSpan.FromDays(365);
            limits.MinRequestBodyDataRate = null;
            limits.MinResponseDataRate = null;
        }
    }

    private static void Listen(KestrelServerOptions kestrel, ListenAddress address, IPAddress[]? addresses, Action<ListenOptions> configure)
    {
        switch (address.Kind)
        {
            case ListenAddressKind.AnyIP:
                kestrel.ListenAnyIP(address.Port, configure);
                break;
            case ListenAddressKind.IP:
                kestrel.Listen(address.IP!, address.Port, configure);
                break;
            case ListenAddressKind.Localhost when address.Port == 0:
                // Kestrel cannot give both loopbacks the same dynamic port.
                kestrel.Listen(IPAddress.Loopback, 0, configure);
                break;
            case ListenAddressKind.Localhost:
                kestrel.ListenLocalhost(address.Port, configure);
                break;
            case ListenAddressKind.HostName:
                foreach (var ip in addresses!)
                {
                    kestrel.Listen(ip, address.Port, configure);
                }

                break;
            case ListenAddressKind.Unix:
                kestrel.ListenUnixSocket(address.SocketPath!, configure);
                break;
        }
    }

    private static async Task<IPAddress[]?> ResolveAsync(ListenAddress address, CancellationToken cancellationToken)
    {
        if (address.Kind != ListenAddressKind.HostName)
        {
            return null;
        }

        try
        {
            var resolved = await Dns.GetHostAddressesAsync(address.Host!, cancellationToken).ConfigureAwait(false);
            return resolved.Length > 0 ? resolved.Distinct().ToArray() : throw new GatewayStartupException($"cannot listen on {address}: '{address.Host}' has no addresses");
        }
        catch (SocketException e)
        {
            throw new GatewayStartupException($"cannot listen on {address}: cannot resolve '{address.Host}': {e.Message}", e);
        }
    }

    private static string BindError(Exception e)
    {
        var root = e;
        while (root.InnerException is not null)
        {
            root = root.InnerException;
        }

        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            if (x is AddressInUseException or SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse })
            {
                return "address already in use";
            }
        }

        if (root is SocketException { SocketErrorCode: SocketError.AccessDenied })
        {
            return "permission denied (ports below 1024 need root or CAP_NET_BIND_SERVICE)";
        }

        var message = root.Message.TrimEnd('.');
        return message.Length > 1 && char.IsUpper(message[0]) && char.IsLower(message[1]) ? char.ToLowerInvariant(message[0]) + message[1..] : message;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Line}")]
    private static partial void LogStartup(ILogger logger, string line);

    [LoggerMessage(Level = LogLevel.Debug, Message = "shutting down")]
    private static partial void LogStopping(ILogger logger);
}
