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

    // rclone serve restic talks to the backend without a directory cache, and a repository may be
    // used by restic directly at the same time (its locks must be seen at once): no dir cache by default.
    private readonly HttpFlags _http = new(":8000");
    private readonly VfsFlags _vfs = new("0s", "Off by default for restic so that locks written by other clients are seen at once.");

    private readonly Argument<string> _remote = new("REMOTE")
    {
        Description = "What to serve: local:/path or a bare path, memory:, name:path (a section of the config file), or :type,key=value:path",
        Arity = ArgumentArity.ZeroOrOne,
    };

    private readonly Option<string> _path = new("--path") { Description = "Serve this local directory (rest-server's way to say local:DIR; then REMOTE is not given)", HelpName = "dir" };
    private readonly Option<bool> _appendOnly = new("--append-only") { Description = "Allow only adding data: no deletes (except locks) and no overwrites" };
    private readonly Option<bool> _privateRepos = new("--private-repos") { Description = "Users may only access the repository named after them (/USER/...)" };
    private readonly Option<bool> _groupAccessible = new("--group-accessible-repos") { Description = "Create repository files and directories group-readable and -writable (0660/0770 instead of 0600/0700, less the umask)" };
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

    private readonly Option<string> _acl = new("--acl")
    {
        Description = "File of per-user rights (read, append, modify) on repository paths; re-read on change and on SIGHUP (format: docs/restic.md)",
        HelpName = "file",
    };

    private readonly Option<bool> _noAuth = new("--no-auth") { Description = "Serve without authentication" };

    private readonly Option<string> _proxyAuthUsername = new("--proxy-auth-username")
    {
        Description = "Take the user from this request header, set by a reverse proxy that authenticated it (instead of htpasswd); believed only from --trusted-proxy addresses",
        HelpName = "header",
    };

    private readonly Option<string[]> _trustedProxy = new("--trusted-proxy")
    {
        Description = "Address or network (CIDR, e.g. 127.0.0.1/32 or 10.0.0.0/8) of a reverse proxy whose --proxy-auth-username header is believed; repeat or list several",
        HelpName = "cidr",
        AllowMultipleArgumentsPerToken = true,
    };

    private readonly Option<bool> _prometheus = new("--prometheus") { Description = "Serve Prometheus metrics at /metrics" };
    private readonly Option<bool> _prometheusNoAuth = new("--prometheus-no-auth") { Description = "Serve /metrics (and the --status-page) without authentication" };
    private readonly Option<bool> _statusPage = new("--status-page") { Description = "Serve a live status page at /_gateway/status (and its figures at /_gateway/status.json), with the same authentication as /metrics" };
    private readonly Option<bool> _stdio = new("--stdio") { Description = "Serve HTTP/2 on stdin/stdout for restic's rclone: backend (implies --no-auth; logs go to stderr)" };

    // restic's rclone: backend always passes it (for rclone's B2 remotes); accepted and ignored.
    private readonly Option<bool> _b2HardDelete = new("--b2-hard-delete") { Hidden = true };

    public ServeResticCommand(CliEnvironment env)
    {
        _env = env;
        _remotes = new RemoteSupport(env);
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
        _http.AddListenerTo(command);
        foreach (var option in new Option[] { _path, _appendOnly, _privateRepos, _groupAccessible, _noVerifyUpload, _maxSize, _htpasswd, _noAuth, _proxyAuthUsername, _trustedProxy, _acl })
        {
            command.Add(option);
        }

        _http.AddTlsAndLogTo(command);
        foreach (var option in new Option[] { _prometheus, _prometheusNoAuth, _statusPage, _stdio, _b2HardDelete })
        {
            command.Add(option);
        }

        _vfs.AddTo(command);
        _remotes.AddTo(command);
        command.SetAction(RunAsync);
        return command;
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var remote = ResolveRemote(parse);
        var stdio = parse.GetValue(_stdio);
        var restic = ResticOptionsFor(parse, remote, stdio);
        var http = _http.Options(parse, remote, stdio);

        // rest-server's file modes: 0600/0700, or 0660/0770 for --group-accessible-repos.
        _env.RestrictUmask(parse.GetValue(_groupAccessible) ? 0b000_000_111 : 0b000_111_111);

        // A local or memory remote never waits on another socket inside a request: the request body
        // can go from the socket's event thread to the file without a thread-pool hop (60 % fewer
        // context switches, docs/performance.md). Network remotes keep the pool.
        var inlineIo = !stdio && (remote.IsLocal || string.Equals(remote.Config.Registration.Name, "memory", StringComparison.OrdinalIgnoreCase));
        if (inlineIo)
        {
            _env.EnableInlineSocketCompletions();
        }

        using var loggerFactory = _http.CreateLoggerFactory(parse, stdio: stdio);
        var vfsOptions = _vfs.Options(parse, remote.Display);
        var backend = await RemoteSupport.OpenAsync(remote, loggerFactory, cancellationToken).ConfigureAwait(false);
        await RemoteSupport.CheckRootAsync(backend, remote, cancellationToken).ConfigureAwait(false);
        var vfs = await RemoteSupport.OpenVfsAsync(backend, vfsOptions, loggerFactory, cancellationToken).ConfigureAwait(false);
        await using (vfs.ConfigureAwait(false))
        {
            using var frontend = new ResticFrontend(vfs, restic, loggerFactory);
            return await GatewayHost.RunAsync(http, frontend, loggerFactory, new GatewayHostSettings
            {
                Description = "restic REST",
                Remote = remote.Display,
                Diagnostics = _env.Error,
                StandardOutput = _env.Out,
                Readiness = RemoteSupport.Readiness(backend, remote, vfsOptions.CacheMode == VfsCacheMode.Off ? null : vfsOptions.CacheDir),
                InlineSocketIo = inlineIo,
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
        var proxyHeader = parse.GetValue(_proxyAuthUsername);
        var trusted = new List<System.Net.IPNetwork>();
        foreach (var text in parse.GetValue(_trustedProxy) ?? [])
        {
            foreach (var item in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                trusted.Add(ParseNetwork(item));
            }
        }

        if (proxyHeader is not null && !noAuth && trusted.Count == 0)
        {
            throw CliException.Usage($"--proxy-auth-username {proxyHeader} needs --trusted-proxy CIDR (the reverse proxies that set the header); without it any client could name itself any user");
        }

        if (trusted.Count > 0 && proxyHeader is null)
        {
            throw CliException.Usage("--trusted-proxy is only used with --proxy-auth-username HEADER");
        }

        return new ResticOptions
        {
            ProxyAuthUsername = noAuth ? null : proxyHeader,
            AclFile = parse.GetValue(_acl) is { } acl ? Path.GetFullPath(acl) : null,
            TrustedProxies = trusted,
            AppendOnly = parse.GetValue(_appendOnly),
            PrivateRepos = parse.GetValue(_privateRepos),
            NoVerifyUpload = parse.GetValue(_noVerifyUpload),
            MaxSize = maxSize is null or 0 ? null : maxSize,
            Prometheus = parse.GetValue(_prometheus),
            PrometheusNoAuth = parse.GetValue(_prometheusNoAuth),
            StatusPage = parse.GetValue(_statusPage) ? RemoteSupport.StatusPageInfo(remote) : null,
            HtpasswdFile = noAuth || proxyHeader is not null ? null : htpasswd,
            NoAuth = noAuth,
        };
    }

    private static System.Net.IPNetwork ParseNetwork(string text)
    {
        if (System.Net.IPNetwork.TryParse(text, out var network))
        {
            return network;
        }

        // A single address: a network of just that address.
        if (System.Net.IPAddress.TryParse(text, out var address))
        {
            return new System.Net.IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
        }

        throw CliException.Usage($"--trusted-proxy: '{text}' is not an address or a network in CIDR notation (e.g. 127.0.0.1/32, 10.0.0.0/8, ::1/128)");
    }
}
