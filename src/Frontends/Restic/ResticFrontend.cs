using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using VfsGateway.Frontends.Http;
using VfsGateway.Frontends.Http.Auth;
using VfsGateway.Frontends.Http.Status;
using VfsGateway.Vfs;

namespace VfsGateway.Frontends.Restic;

/// <summary>
/// restic's REST backend protocol (rest-server 0.14's routes and statuses) over the Vfs. This
/// file is the whole routing: authenticate, parse the path once, switch on the method; the
/// handlers live in the ResticFrontend.*.cs partials, one method per operation.
/// </summary>
public sealed partial class ResticFrontend : IHttpFrontend, IReloadableFrontend, IDisposable
{
    private const string AllowObject = "HEAD, GET, POST, DELETE";
    private const string Challenge = "Basic realm=\"restic\"";

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, byte[]> StatusBodies = new();

    private readonly VirtualFileSystem _vfs;
    private readonly ResticOptions _options;
    private readonly ILogger _logger;
    private readonly HtpasswdAuthenticator? _auth;
    private readonly ProxyAuthenticator? _proxy;
    private readonly ResticAclFile? _acl;
    private readonly ResticQuota? _quota;
    private readonly ResticMetrics? _metrics;
    private readonly StatusPage? _status;

    public ResticFrontend(VirtualFileSystem vfs, ResticOptions options, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(vfs);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _vfs = vfs;
        _options = options;
        _logger = loggerFactory.CreateLogger<ResticFrontend>();
        if (!options.NoAuth && options.ProxyAuthUsername is { Length: > 0 } header)
        {
            // rest-server's order: --no-auth, then the proxy's header, then htpasswd. Without
            // trusted proxies StartAsync refuses to start.
            _proxy = options.TrustedProxies.Count == 0 ? null : new ProxyAuthenticator(header, options.TrustedProxies);
        }
        else if (!options.NoAuth && options.HtpasswdFile is { Length: > 0 } htpasswd)
        {
            _auth = new HtpasswdAuthenticator(htpasswd, loggerFactory.CreateLogger<HtpasswdAuthenticator>(), checkInterval: options.HtpasswdCheckInterval);
        }

        _acl = options.AclFile is { Length: > 0 } aclFile ? new ResticAclFile(aclFile, loggerFactory.CreateLogger<ResticAclFile>()) : null;
        // With --acl the usage is counted too: its quota lines may appear at any reload.
        _quota = options.MaxSize is not null || _acl is not null ? new ResticQuota(options.MaxSize) : null;
        // The status page reads the same registry that /metrics exports, so it needs the counters too.
        _metrics = options.Prometheus || options.StatusPage is not null ? new ResticMetrics(() => vfs.CacheStats) : null;
        if (options.StatusPage is { } info)
        {
            _status = new StatusPage(
                _metrics!.Gateway,
                info,
                new StatusFrontend("restic", "restic REST", BytesInMetric: "rest_server_blob_write_bytes_total", BytesOutMetric: "rest_server_blob_read_bytes_total"),
                vfs.Options.CacheMode.ToString().ToLowerInvariant());
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_options.NoAuth && _options.ProxyAuthUsername is { Length: > 0 } header && _proxy is null)
        {
            throw new GatewayStartupException(
                $"--proxy-auth-username {header} needs --trusted-proxy CIDR (the addresses of the reverse proxies that set the header): " +
                "without it any client could name itself any user.");
        }

        if (!_options.NoAuth && _options.ProxyAuthUsername is not { Length: > 0 })
        {
            if (_auth is null)
            {
                throw new GatewayStartupException(
                    "no credentials: no htpasswd file was given. Pass --htpasswd FILE (create one with `gateway htpasswd add FILE USER`), " +
                    "or pass --no-auth to serve without authentication.");
            }

            // SIGHUP reloads it through the host (IReloadableFrontend), besides the periodic check.
            _auth.Load();
        }

        _acl?.Load();
        if (_quota is not null)
        {
            // One walk for both: the quota's usage and the per-repository gauges' starting values.
            var seed = _metrics?.Repositories.BeginSeed();
            await _quota.InitializeAsync(_vfs, cancellationToken, seed is null ? null : seed.Add).ConfigureAwait(false);
            seed?.Complete();
            LogQuota(_logger, _quota.Used, _quota.MaxSize is { } max ? ByteSize.FormatExact(max) : "none");
        }
    }

    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);

        // Not counted as traffic: the page polls every two seconds.
        if (_status is not null && StatusPage.IsStatusPath(context.Request.Path))
        {
            await ServeStatusAsync(context, _status).ConfigureAwait(false);
            return;
        }

        var start = Stopwatch.GetTimestamp();
        var operation = "Unknown";
        try
        {
            await DispatchAsync(context, ref operation).ConfigureAwait(false);
        }
        catch (Exception e) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer. An upload was already cleaned up by the Vfs.
            LogClientGone(_logger, context.Request.Method, context.Request.Path.Value, e.Message);
        }
        catch (Exception e)
        {
            await FailAsync(context, e).ConfigureAwait(false);
        }
        finally
        {
            _metrics?.ObserveRequest(operation, start);
            _status?.Errors.Record(context);
        }
    }

    public IEnumerable<string> Reload()
    {
        var reloaded = new List<string>();
        if (_auth is not null)
        {
            reloaded.Add(_auth.Reload(force: true) ? $"htpasswd ({_auth.UserCount} users)" : "htpasswd unreadable, users kept");
        }

        if (_acl is not null)
        {
            reloaded.Add(_acl.Reload() ? "ACL" : "ACL unreadable or invalid, rules kept");
        }

        return reloaded;
    }

    public void Dispose()
    {
        _auth?.Dispose();
        _acl?.Dispose();
    }

    /// <summary>Routes one request; <paramref name="operation"/> is set to the name the duration histogram uses once the route is known.</summary>
    private Task DispatchAsync(HttpContext context, ref string operation)
    {
        if (_options.Prometheus && _metrics is not null && context.Request.Path.Equals("/metrics", StringComparison.Ordinal))
        {
            operation = "Metrics";
            return ServeMetricsAsync(context, _metrics);
        }

        if (!Authenticate(context, out var user))
        {
            return UnauthorizedAsync(context);
        }

        var parsed = ResticRouteParser.Parse(context);
        if (!parsed.IsRoute)
        {
            LogBadPath(_logger, context.Request.Method, context.Request.Path.Value, parsed.Status);
            return StatusAsync(context, parsed.Status);
        }

        var route = parsed.Route;

        // rest-server answers 401 here too: to this user, the repository does not exist.
        if (_options.PrivateRepos && AuthEnabled && !IsOwnRepository(route.Repository, user))
        {
            return UnauthorizedAsync(context);
        }

        var method = context.Request.Method;
        operation = OperationName(route.Kind, method);
        if (_acl is not null && _acl.Current.RightFor(user, route.Repository.Value) < RequiredRight(route, method))
        {
            LogAclDenied(_logger, user, method, context.Request.Path.Value);
            return StatusAsync(context, StatusCodes.Status403Forbidden);
        }

        return route.Kind switch
        {
            ResticRouteKind.Repository when HttpMethods.IsPost(method) => CreateRepositoryAsync(context, route),
            ResticRouteKind.Repository => MethodNotAllowedAsync(context, "POST"),
            ResticRouteKind.List when HttpMethods.IsGet(method) => ListAsync(context, route),
            ResticRouteKind.List => MethodNotAllowedAsync(context, "GET"),
            _ when HttpMethods.IsHead(method) => HeadAsync(context, route),
            _ when HttpMethods.IsGet(method) => GetAsync(context, route, user),
            _ when HttpMethods.IsPost(method) => SaveAsync(context, route, user),
            _ when HttpMethods.IsDelete(method) => DeleteAsync(context, route, user),
            _ => MethodNotAllowedAsync(context, AllowObject),
        };
    }

    /// <summary>The operation label of a routed request: what the handler of the switch above does.</summary>
    private static string OperationName(ResticRouteKind kind, string method) => kind switch
    {
        ResticRouteKind.Repository => HttpMethods.IsPost(method) ? "CreateRepository" : "Unknown",
        ResticRouteKind.List => HttpMethods.IsGet(method) ? "ListObjects" : "Unknown",
        _ when HttpMethods.IsHead(method) => "HeadObject",
        _ when HttpMethods.IsGet(method) => "GetObject",
        _ when HttpMethods.IsPost(method) => "SaveObject",
        _ when HttpMethods.IsDelete(method) => "DeleteObject",
        _ => "Unknown",
    };

    /// <summary>
    /// The --acl right a request needs: reading needs read; creating a repository, uploading and
    /// deleting a lock need append (what --append-only allows); deleting anything else needs modify.
    /// </summary>
    private static AclRight RequiredRight(ResticRoute route, string method) =>
        HttpMethods.IsPost(method) ? AclRight.Append
        : HttpMethods.IsDelete(method) ? (route.Type == ResticObjectType.Locks && route.Kind == ResticRouteKind.Object ? AclRight.Append : AclRight.Modify)
        : AclRight.Read;

    /// <summary>Append-only for this request: --append-only, or an --acl right of append (not modify) on the repository.</summary>
    private bool IsAppendOnly(string user, ResticRoute route) =>
        _options.AppendOnly || (_acl is not null && _acl.Current.RightFor(user, route.Repository.Value) == AclRight.Append);

    private bool AuthEnabled => _auth is not null || _proxy is not null;

    private bool Authenticate(HttpContext context, out string user)
    {
        user = string.Empty;
        if (!AuthEnabled)
        {
            return true;
        }

        System.Security.Claims.ClaimsPrincipal? principal;
        if ((_proxy is not null ? !_proxy.TryAuthenticate(context, out principal) : !_auth!.TryAuthenticate(context.Request.Headers.Authorization, out principal))
            || principal is null)
        {
            return false;
        }

        context.User = principal;
        user = principal.Identity!.Name!;
        return true;
    }

    private static bool IsOwnRepository(VfsPath repository, string user)
    {
        var path = repository.Value;
        return path.StartsWith(user, StringComparison.Ordinal) && (path.Length == user.Length || path[user.Length] == '/');
    }

    private async Task ServeMetricsAsync(HttpContext context, ResticMetrics metrics)
    {
        if (!MetricsAuthorized(context))
        {
            await UnauthorizedAsync(context).ConfigureAwait(false);
            return;
        }

        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            await MethodNotAllowedAsync(context, "GET, HEAD").ConfigureAwait(false);
            return;
        }

        await metrics.WriteAsync(context).ConfigureAwait(false);
    }

    /// <summary>The status page shows every repository's figures: the same rule as /metrics.</summary>
    private async Task ServeStatusAsync(HttpContext context, StatusPage status)
    {
        if (!MetricsAuthorized(context))
        {
            await UnauthorizedAsync(context).ConfigureAwait(false);
            return;
        }

        await status.WriteAsync(context).ConfigureAwait(false);
    }

    /// <summary>As rest-server: with private repos only the user "metrics" may read everyone's counters.</summary>
    private bool MetricsAuthorized(HttpContext context) =>
        _options.PrometheusNoAuth || (Authenticate(context, out var user) && !(_options.PrivateRepos && AuthEnabled && user != "metrics"));

    private async Task FailAsync(HttpContext context, Exception exception)
    {
        var status = exception switch
        {
            VfsException e => ResticErrors.StatusFor(e.Kind),
            BadHttpRequestException e => e.StatusCode,
            _ => StatusCodes.Status500InternalServerError,
        };
        if (status >= 500 && status != StatusCodes.Status507InsufficientStorage && status != StatusCodes.Status501NotImplemented)
        {
            LogServerError(_logger, context.Request.Method, context.Request.Path.Value, exception);
        }
        else
        {
            LogRequestFailed(_logger, context.Request.Method, context.Request.Path.Value, status, exception.Message);
        }

        if (context.Response.HasStarted)
        {
            // Headers are out: the only honest signal left is a broken connection.
            context.Abort();
            return;
        }

        context.Response.Clear();
        await StatusAsync(context, status).ConfigureAwait(false);
    }

    private static Task UnauthorizedAsync(HttpContext context)
    {
        context.Response.Headers.WWWAuthenticate = Challenge;
        return StatusAsync(context, StatusCodes.Status401Unauthorized);
    }

    private static Task MethodNotAllowedAsync(HttpContext context, string allow)
    {
        context.Response.Headers.Allow = allow;
        return StatusAsync(context, StatusCodes.Status405MethodNotAllowed);
    }

    /// <summary>Answers with a status and its reason phrase as a text body, like Go's http.Error.</summary>
    private static Task StatusAsync(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        if (status == StatusCodes.Status200OK)
        {
            return Task.CompletedTask;
        }

        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return WriteBytesAsync(context, StatusBodies.GetOrAdd(status, static s => System.Text.Encoding.UTF8.GetBytes(ReasonPhrases.GetReasonPhrase(s) + "\n")));
    }

    private static Task WriteBytesAsync(HttpContext context, byte[] bytes)
    {
        context.Response.ContentLength = bytes.Length;
        return HttpMethods.IsHead(context.Request.Method)
            ? Task.CompletedTask
            : context.Response.Body.WriteAsync(bytes, context.RequestAborted).AsTask();
    }
}
