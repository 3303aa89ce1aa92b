using System.CommandLine;
using Microsoft.Extensions.Logging;
using VfsGateway.Cli.Parsing;
using VfsGateway.Cli.Remotes;
using VfsGateway.Frontends.Http;
using VfsGateway.Frontends.Http.Hosting;
using VfsGateway.Frontends.Restic;
using VfsGateway.Vfs;

namespace VfsGateway.Cli.Commands;

/// <summary>
/// <c>gateway serve restic REMOTE</c>: restic's REST protocol in front of a remote, with
/// rest-server 0.14's flags and defaults (so that existing service files keep working), plus
/// --stdio for restic's rclone: backend.
/// </summary>
internal sealed class ServeResticCommand
{
    private readonly CliEnvironment _env;
    private readonly RemoteSupport _remotes;

    private readonly Argument<string> _remote = new("REMOTE")
    {
        Description = "What to serve: local:/path or a bare path, memory:, name:path (a section of the config file), or :type,key=value:path",
        Arity = ArgumentArity.ZeroOrOne,
    };

    private readonly Option<string> _addr = new("--addr", "--listen")
    {
        Description = "Listen address: \":8000\" (all interfaces), \"127.0.0.1:8000\", \"[::1]:8000\", \"localhost:8000\" or \"unix:/path/to.sock\"",
        HelpName = "address",
        DefaultValueFactory = _ => ":8000",
    };

    private readonly Option<string> _path = new("--path") { Description = "Serve this local directory (rest-server's way to say local:DIR; then REMOTE is not given)", HelpName = "dir" };
    private readonly Option<bool> _appendOnly = new("--append-only") { Description = "Allow only adding data: no deletes (except locks) and no overwrites" };
    private readonly Option<bool> _privateRepos = new("--private-repos") { Description = "Users may only access the repository named after them (/USER/...)" };
    private readonly Option<bool> _noVerifyUpload = new("--no-verify-upload") { Description = "Do not check that uploaded blobs match their SHA-256 names" };

    private readonly Option<long?> _maxSize = new("--max-size")
    {
        Description = "Maximum size of the whole remote in bytes, or with a suffix: 500K, 500M, 2G, 1T (binary multiples); 0 = unlimited [default: unlimited]",
        HelpName = "size",
        CustomParser = result =>
        {
            if (ByteSize.TryParse(result.Tokens.Single().Value, out var bytes, out var error))
            {
                return bytes;
            }

            result.AddError(error);
            return null;
        },
    };

    private readonly Option<string> _htpasswd = new("--htpasswd", "--htpasswd-file")
    {
        Description = "htpasswd file with the users [default: .htpasswd in the root of a local remote; none for other remotes]",
        HelpName = "file",
    };

    private readonly Option<bool> _noAuth = new("--no-auth") { Description = "Serve without authentication" };
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
    private readonly Option<bool> _prometheus = new("--prometheus") { Description = "Serve Prometheus metrics at /metrics" };
    private readonly Option<bool> _prometheusNoAuth = new("--prometheus-no-auth") { Description = "Serve /metrics without authentication" };
    private readonly Option<bool> _debug = new("--debug") { Description = "Log debug messages (to stderr)" };
    private readonly Option<bool> _stdio = new("--stdio") { Description = "Serve HTTP/2 on stdin/stdout for restic's rclone: backend (implies --no-auth; logs go to stderr)" };

    // restic's rclone: backend always passes it (for rclone's B2 remotes); accepted and ignored.
    private readonly Option<bool> _b2HardDelete = new("--b2-hard-delete") { Hidden = true };

    public ServeResticCommand(CliEnvironment env)
    {
        _env = env;
        _remotes = new RemoteSupport(env);
        _tlsMinVer.AcceptOnlyFromAmong("1.2", "1.3");
        _remote.Validators.Add(result =>
        {
            if (result.Tokens.SingleOrDefault()?.Value is { } v && v.StartsWith('-'))
            {
                result.AddError($"unknown option '{v}'");
            }
        });
    }

    public Command Build()
    {
        var command = new Command("restic", "Serve restic's REST protocol (rest-server compatible)");
        command.Add(_remote);
        foreach (var option in new Option[]
        {
            _addr, _path, _appendOnly, _privateRepos, _noVerifyUpload, _maxSize, _htpasswd, _noAuth, _tls, _tlsCert,
            _tlsKey, _tlsMinVer, _log, _prometheus, _prometheusNoAuth, _debug, _stdio, _b2HardDelete,
        })
        {
            command.Add(option);
        }

        _remotes.AddTo(command);
        command.SetAction(RunAsync);
        return command;
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var remote = ResolveRemote(parse);
        var stdio = parse.GetValue(_stdio);
        var restic = ResticOptionsFor(parse, remote, stdio);
        var http = HttpOptionsFor(parse, remote, stdio);

        using var loggerFactory = GatewayLogging.CreateLoggerFactory(http.Debug, quiet: stdio);
        var backend = await RemoteSupport.OpenAsync(remote, cancellationToken).ConfigureAwait(false);
        var vfs = new VirtualFileSystem(backend, VfsOptions.Default, loggerFactory.CreateLogger<VirtualFileSystem>());
        await using (vfs.ConfigureAwait(false))
        {
            using var frontend = new ResticFrontend(vfs, restic, loggerFactory);
            return await GatewayHost.RunAsync(http, frontend, loggerFactory, new GatewayHostSettings
            {
                Description = "restic REST",
                Remote = remote.Display,
                Diagnostics = _env.Error,
                StandardOutput = _env.Out,
            }, cancellationToken).ConfigureAwait(false);
        }
    }

    private ResolvedRemote ResolveRemote(ParseResult parse)
    {
        var remote = parse.GetValue(_remote);
        var path = parse.GetValue(_path);
        if (remote is not null && path is not null)
        {
            throw CliException.Usage("give either REMOTE or --path, not both");
        }

        if (remote is null && path is null)
        {
            throw CliException.Usage("serve restic needs a REMOTE (e.g. local:/srv/restic, /srv/restic or memory:) or --path DIR");
        }

        // A full path never looks like "name:...", so --path always means the local backend.
        return _remotes.Resolve(parse, remote ?? Path.GetFullPath(path!));
    }

    private ResticOptions ResticOptionsFor(ParseResult parse, ResolvedRemote remote, bool stdio)
    {
        var noAuth = stdio || parse.GetValue(_noAuth);
        var htpasswd = parse.GetValue(_htpasswd);
        if (htpasswd is null && !noAuth && remote.IsLocal)
        {
            htpasswd = Path.Combine(remote.Config.Root, ".htpasswd");
        }

        var maxSize = parse.GetValue(_maxSize);
        return new ResticOptions
        {
            AppendOnly = parse.GetValue(_appendOnly),
            PrivateRepos = parse.GetValue(_privateRepos),
            NoVerifyUpload = parse.GetValue(_noVerifyUpload),
            MaxSize = maxSize is null or 0 ? null : maxSize,
            Prometheus = parse.GetValue(_prometheus),
            PrometheusNoAuth = parse.GetValue(_prometheusNoAuth),
            HtpasswdFile = noAuth ? null : htpasswd,
            NoAuth = noAuth,
        };
    }

    private HttpServerOptions HttpOptionsFor(ParseResult parse, ResolvedRemote remote, bool stdio)
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
