using System.CommandLine;
using Microsoft.Extensions.Logging;
using VfsGateway.Cli.Remotes;
using VfsGateway.Frontends.Http;
using VfsGateway.Frontends.Http.Hosting;

namespace VfsGateway.Cli.Commands;

/// <summary>The listener, TLS and logging flags every serve command shares (rest-server's names and defaults).</summary>
internal sealed class HttpFlags
{
    private readonly Option<string> _addr;

    private readonly Option<bool> _tls = new("--tls") { Description = "Serve HTTPS (HTTP/1.1 and HTTP/2)" };
    private readonly Option<string> _tlsCert = new("--tls-cert") { Description = "TLS certificate, PEM [default: public_key in the root of a local remote]", HelpName = "file" };
    private readonly Option<string> _tlsKey = new("--tls-key") { Description = "TLS private key, PEM [default: private_key in the root of a local remote]", HelpName = "file" };

    private readonly Option<string> _tlsMinVer = new("--tls-min-ver")
    {
        Description = "Minimum TLS version: 1.2 or 1.3",
        HelpName = "version",
        DefaultValueFactory = _ => "1.2",
    };

    private readonly Option<string> _log = new("--log") { Description = "Write an access log (Apache combined format) to this file, or \"-\" for stdout [default: none]", HelpName = "file" };
    private readonly Option<bool> _debug = new("--debug") { Description = "Log debug messages (to stderr); the same as --log-level debug" };

    private readonly Option<string> _logLevel = new("--log-level")
    {
        Description = "Diagnostics on stderr from this level up: trace, debug, info, warn, error [default: info; warn with --stdio]",
        HelpName = "level",
    };

    private readonly Option<bool> _verbose = new("--verbose", "-v") { Description = "Log debug messages (--log-level debug)" };
    private readonly Option<bool> _quiet = new("--quiet", "-q") { Description = "Log only warnings and errors (--log-level warn)" };

    private readonly Option<string> _logFormat = new("--log-format")
    {
        Description = "Diagnostics format on stderr: text (time level message) or json (one object per line, for log shippers)",
        HelpName = "text|json",
        DefaultValueFactory = _ => "text",
    };

    public HttpFlags(string defaultAddress)
    {
        _addr = new Option<string>("--addr", "--listen")
        {
            Description = $"Listen address: \"{defaultAddress}\" (all interfaces), \"127.0.0.1{defaultAddress}\", \"[::1]{defaultAddress}\", \"localhost{defaultAddress}\" or \"unix:/path/to.sock\"",
            HelpName = "address",
            DefaultValueFactory = _ => defaultAddress,
        };
        _tlsMinVer.AcceptOnlyFromAmong("1.2", "1.3");
        _logFormat.AcceptOnlyFromAmong("text", "json");
        _logLevel.Validators.Add(result =>
        {
            if (result.Tokens.SingleOrDefault()?.Value is { } v && !GatewayLogging.TryParseLevel(v, out _))
            {
                result.AddError($"--log-level: '{v}' is not one of trace, debug, info, warn, error");
            }
        });
    }

    /// <summary>The diagnostic logger the flags ask for (--log-level, -v, -q, --debug, --log-format).</summary>
    public ILoggerFactory CreateLoggerFactory(ParseResult parse, bool stdio = false)
    {
        var level = Level(parse, stdio);
        return GatewayLogging.CreateLoggerFactory(level, json: parse.GetValue(_logFormat) == "json");
    }

    public LogLevel Level(ParseResult parse, bool stdio = false)
    {
        var given = new[] { parse.GetValue(_logLevel) is not null, parse.GetValue(_verbose), parse.GetValue(_quiet) }.Count(b => b);
        if (given > 1)
        {
            throw CliException.Usage("give only one of --log-level, -v/--verbose and -q/--quiet");
        }

        if (GatewayLogging.TryParseLevel(parse.GetValue(_logLevel), out var level))
        {
            return level;
        }

        // restic shows its backend program's stderr to the user: --stdio stays quiet by default.
        return parse.GetValue(_verbose) || parse.GetValue(_debug) ? LogLevel.Debug : parse.GetValue(_quiet) || stdio ? LogLevel.Warning : LogLevel.Information;
    }

    public bool Debug(ParseResult parse) => parse.GetValue(_debug);

    public bool Tls(ParseResult parse) => parse.GetValue(_tls);

    public void AddListenerTo(Command command) => command.Add(_addr);

    public void AddTlsAndLogTo(Command command)
    {
        foreach (var option in new Option[] { _tls, _tlsCert, _tlsKey, _tlsMinVer, _log, _debug, _logLevel, _verbose, _quiet, _logFormat })
        {
            command.Add(option);
        }
    }

    public HttpServerOptions Options(ParseResult parse, ResolvedRemote remote, bool stdio = false)
    {
        var tls = parse.GetValue(_tls);
        var cert = parse.GetValue(_tlsCert);
        var key = parse.GetValue(_tlsKey);
        if (!tls && (cert is not null || key is not null))
        {
            // Serving plain HTTP while the operator configured a certificate would be a silent downgrade.
            throw CliException.Usage($"{(cert is not null ? "--tls-cert" : "--tls-key")} needs --tls (without it the server speaks plain HTTP)");
        }

        if (tls && remote.IsLocal)
        {
            cert ??= Path.Combine(remote.Config.Root, "public_key");
            key ??= Path.Combine(remote.Config.Root, "private_key");
        }
        else if (tls && (cert is null || key is null))
        {
            throw CliException.Usage($"--tls needs --tls-cert and --tls-key for the remote '{remote.Display}' (the defaults exist only for local remotes)");
        }

        if (stdio && tls)
        {
            throw CliException.Usage("--tls cannot be combined with --stdio");
        }

        return new HttpServerOptions
        {
            Address = parse.GetValue(_addr)!,
            Stdio = stdio,
            Tls = tls,
            TlsCert = cert,
            TlsKey = key,
            TlsMinVersion = parse.GetValue(_tlsMinVer)!,
            LogFile = parse.GetValue(_log),
            Debug = Level(parse, stdio) <= LogLevel.Debug,
        };
    }
}
