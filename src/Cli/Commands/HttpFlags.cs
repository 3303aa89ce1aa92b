using System.CommandLine;
using VfsGateway.Cli.Remotes;
using VfsGateway.Frontends.Http;

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
    private readonly Option<bool> _debug = new("--debug") { Description = "Log debug messages (to stderr)" };

    public HttpFlags(string defaultAddress)
    {
        _addr = new Option<string>("--addr", "--listen")
        {
            Description = "Listen address: \":8000\" (all interfaces), \"127.0.0.1:8000\", \"[::1]:8000\", \"localhost:8000\" or \"unix:/path/to.sock\"",
            HelpName = "address",
            DefaultValueFactory = _ => defaultAddress,
        };
        _tlsMinVer.AcceptOnlyFromAmong("1.2", "1.3");
    }

    public bool Debug(ParseResult parse) => parse.GetValue(_debug);

    public bool Tls(ParseResult parse) => parse.GetValue(_tls);

    public void AddListenerTo(Command command) => command.Add(_addr);

    public void AddTlsAndLogTo(Command command)
    {
        foreach (var option in new Option[] { _tls, _tlsCert, _tlsKey, _tlsMinVer, _log, _debug })
        {
            command.Add(option);
        }
    }

    public HttpServerOptions Options(ParseResult parse, ResolvedRemote remote, bool stdio = false)
    {
        var tls = parse.GetValue(_tls);
        var cert = parse.GetValue(_tlsCert);
        var key = parse.GetValue(_tlsKey);
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
            Debug = parse.GetValue(_debug),
        };
    }
}
