using System.CommandLine;
using VfsGateway.Cli.Parsing;
using VfsGateway.Cli.Remotes;
using VfsGateway.Frontends.Http;
using VfsGateway.Frontends.Http.Hosting;
using VfsGateway.Frontends.S3;

namespace VfsGateway.Cli.Commands;

/// <summary>
/// <c>gateway serve s3 REMOTE</c>: the S3 API in front of a remote, root directories as buckets
/// (rclone serve s3's model and flag names).
/// </summary>
internal sealed class ServeS3Command
{
    private readonly CliEnvironment _env;
    private readonly RemoteSupport _remotes;
    private readonly HttpFlags _http = new(":8080");

    // In mode off nothing may depend on one instance's memory (several gateways can sit behind a
    // load balancer), so listings are not cached unless asked for.
    private readonly VfsFlags _vfs = new("0s", "Off by default so that several gateways (or other writers) never serve a stale listing; set e.g. 5m for one gateway over a slow backend.");

    private readonly Argument<string> _remote = new("REMOTE")
    {
        Description = "What to serve: local:/path or a bare path, memory:, name:path (a section of the config file), or :type,key=value:path. Its root directories are the buckets.",
    };

    private readonly Option<string[]> _authKey = new("--auth-key")
    {
        Description = "An access key pair ACCESS_KEY_ID,SECRET_ACCESS_KEY that may sign requests (repeatable; visible in ps: prefer --auth-key-file or $GATEWAY_AUTH_KEY)",
        HelpName = "access,secret",
        AllowMultipleArgumentsPerToken = false,
        Arity = ArgumentArity.OneOrMore,
    };

    private readonly Option<string> _authKeyFile = new("--auth-key-file")
    {
        Description = "File with one ACCESS_KEY_ID,SECRET_ACCESS_KEY per line ('#' comments); adds to --auth-key, $GATEWAY_AUTH_KEY and the config file's [serve s3] auth_key",
        HelpName = "file",
    };

    private readonly Option<bool> _noAuth = new("--no-auth") { Description = "Serve anonymously (without it the server refuses to start when no access key is given)" };

    private readonly Option<bool> _forcePathStyle = new("--force-path-style")
    {
        Description = "Only path-style requests (http://host/bucket/key); --force-path-style=false also accepts virtual-hosted style (bucket.BASE-DOMAIN)",
        DefaultValueFactory = _ => true,
    };

    private readonly Option<string> _baseDomain = new("--base-domain") { Description = "Domain of virtual-hosted style buckets (bucket.example.com → example.com)", HelpName = "domain" };

    private readonly Option<string> _etagHash = new("--etag-hash")
    {
        Description = "ETag of single-part uploads: MD5 (computed while streaming, as AWS) or none",
        HelpName = "MD5|none",
        DefaultValueFactory = _ => "MD5",
    };

    private readonly Option<string> _multipartExpiry = new("--multipart-expiry")
    {
        Description = "Incomplete multipart uploads older than this are removed",
        HelpName = "duration",
        DefaultValueFactory = _ => "24h",
    };

    private readonly Option<bool> _noCleanup = new("--no-cleanup") { Description = "Keep directories that deletes leave empty (by default they are removed up to the bucket)" };

    private readonly Option<bool> _prometheus = new("--prometheus") { Description = "Serve Prometheus metrics at /_gateway/metrics (a path no bucket can shadow)" };

    private readonly Option<bool> _prometheusNoAuth = new("--prometheus-no-auth") { Description = "Serve /_gateway/metrics (and the --status-page) without authentication (by default HTTP Basic with an --auth-key id and secret)" };

    private readonly Option<bool> _statusPage = new("--status-page") { Description = "Serve a live status page at /_gateway/status (and its figures at /_gateway/status.json), with the same authentication as the metrics" };

    public ServeS3Command(CliEnvironment env)
    {
        _env = env;
        _remotes = new RemoteSupport(env);
        _etagHash.AcceptOnlyFromAmong("MD5", "md5", "none");
        _multipartExpiry.Validators.Add(result =>
        {
            if (result.Tokens.SingleOrDefault()?.Value is { } v && !Duration.TryParse(v, out _, out var error))
            {
                result.AddError($"--multipart-expiry: {error}");
            }
        });
        _authKey.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
            {
                try
                {
                    S3AccessKey.Parse(token.Value);
                }
                catch (FormatException e)
                {
                    result.AddError($"--auth-key: {e.Message}");
                }
            }
        });
    }

    public Command Build()
    {
        var command = new Command("s3", "Serve the S3 API (root directories of the remote are buckets)");
        command.Add(_remote);
        _http.AddListenerTo(command);
        foreach (var option in new Option[] { _authKey, _authKeyFile, _noAuth, _forcePathStyle, _baseDomain, _etagHash, _multipartExpiry, _noCleanup, _prometheus, _prometheusNoAuth, _statusPage })
        {
            command.Add(option);
        }

        _http.AddTlsAndLogTo(command);
        _vfs.AddTo(command);
        _remotes.AddTo(command);
        command.SetAction(RunAsync);
        return command;
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var remote = _remotes.Resolve(parse, parse.GetValue(_remote)!);
        var http = _http.Options(parse, remote);
        var vfsOptions = _vfs.Options(parse, remote.Display);
        if (!Duration.TryParse(parse.GetValue(_multipartExpiry), out var expiry, out var expiryError))
        {
            throw CliException.Usage($"--multipart-expiry: {expiryError}");
        }

        var s3 = new S3Options
        {
            AuthKeys = S3AuthKeySources.Collect(parse.GetValue(_authKey) ?? [], parse.GetValue(_authKeyFile), _env.GetEnvironmentVariable, () => _remotes.LoadConfig(parse)),
            NoAuth = parse.GetValue(_noAuth),
            ForcePathStyle = parse.GetValue(_forcePathStyle),
            BaseDomain = parse.GetValue(_baseDomain),
            EtagHash = string.Equals(parse.GetValue(_etagHash), "none", StringComparison.OrdinalIgnoreCase) ? S3EtagHash.None : S3EtagHash.Md5,
            MultipartExpiry = expiry,
            NoCleanup = parse.GetValue(_noCleanup),
            Prometheus = parse.GetValue(_prometheus),
            PrometheusNoAuth = parse.GetValue(_prometheusNoAuth),
            StatusPage = parse.GetValue(_statusPage) ? RemoteSupport.StatusPageInfo(remote) : null,
            CacheDir = Path.Combine(vfsOptions.CacheDir, "s3-multipart"),
        };

        using var loggerFactory = _http.CreateLoggerFactory(parse, stdio: false);
        var backend = await RemoteSupport.OpenAsync(remote, loggerFactory, cancellationToken).ConfigureAwait(false);
        await RemoteSupport.CheckRootAsync(backend, remote, cancellationToken).ConfigureAwait(false);
        var vfs = await RemoteSupport.OpenVfsAsync(backend, vfsOptions, loggerFactory, cancellationToken).ConfigureAwait(false);
        await using (vfs.ConfigureAwait(false))
        {
            var frontend = new S3Frontend(vfs, s3, loggerFactory);
            return await GatewayHost.RunAsync(http, frontend, loggerFactory, new GatewayHostSettings
            {
                Description = "S3",
                Remote = remote.Display,
                Diagnostics = _env.Error,
                StandardOutput = _env.Out,
                Readiness = RemoteSupport.Readiness(backend, remote, s3.CacheDir),
            }, cancellationToken).ConfigureAwait(false);
        }
    }
}
