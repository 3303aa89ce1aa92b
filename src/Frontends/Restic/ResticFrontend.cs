using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using VfsGateway.Frontends.Http;
using VfsGateway.Frontends.Http.Auth;
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
    private readonly ResticQuota? _quota;
    private readonly ResticMetrics? _metrics;

    public ResticFrontend(VirtualFileSystem vfs, ResticOptions options, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(vfs);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _vfs = vfs;
        _options = options;
        _logger = loggerFactory.CreateLogger<ResticFrontend>();
        if (!options.NoAuth && options.HtpasswdFile is { Length: > 0 } htpasswd)
        {
            _auth = new HtpasswdAuthenticator(htpasswd, loggerFactory.CreateLogger<HtpasswdAuthenticator>(), checkInterval: options.HtpasswdCheckInterval);
        }

        _quota = options.MaxSize is { } max ? new ResticQuota(max) : null;
        _metrics = options.Prometheus ? new ResticMetrics() : null;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_options.NoAuth)
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

        if (_quota is not null)
        {
            await _quota.InitializeAsync(_vfs, cancellationToken).ConfigureAwait(false);
            LogQuota(_logger, _quota.Used, _quota.MaxSize);
        }
    }

    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await DispatchAsync(context).ConfigureAwait(false);
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
    }

    public IEnumerable<string> Reload()
    {
        if (_auth is null)
        {
            return [];
        }

        return _auth.Reload(force: true) ? [$"htpasswd ({_auth.UserCount} users)"] : ["htpasswd unreadable, users kept"];
    }

    public void Dispose() => _auth?.Dispose();

    private Task DispatchAsync(HttpContext context)
    {
        if (_metrics is not null && context.Request.Path.Equals("/metrics", StringComparison.Ordinal))
        {
            return ServeMetricsAsync(context, _metrics);
        }

        if (!Authenticate(context, out var user))
        {
            return UnauthorizedAsync(context);
        }

        var status = ResticRouteParser.TryParse(context, out var route);
        if (status != 0)
        {
            LogBadPath(_logger, context.Request.Method, context.Request.Path.Value, status);
            return StatusAsync(context, status);
        }

        // rest-server answers 401 here too: to this user, the repository does not exist.
        if (_options.PrivateRepos && _auth is not null && !IsOwnRepository(route.Repository, user))
        {
            return UnauthorizedAsync(context);
        }

        var method = context.Request.Method;
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

    private bool Authenticate(HttpContext context, out string user)
    {
        user = string.Empty;
        if (_auth is null)
        {
            return true;
        }

        if (!_auth.TryAuthenticate(context.Request.Headers.Authorization, out var principal))
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
        // As rest-server: with private repos only the user "metrics" may read everyone's counters.
        if (!_options.PrometheusNoAuth && (!Authenticate(context, out var user) || (_options.PrivateRepos && _auth is not null && user != "metrics")))
        {
            await UnauthorizedAsync(context).ConfigureAwait(false);
            return;
        }

        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            await MethodNotAllowedAsync(context, "GET, HEAD").ConfigureAwait(false);
            return;
        }

        using var text = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        metrics.WriteTo(text, _vfs.CacheStats);
        context.Response.ContentType = Http.Metrics.PrometheusTextWriter.ContentType;
        await WriteTextAsync(context, text.ToString()).ConfigureAwait(false);
    }

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

    private static Task WriteTextAsync(HttpContext context, string text) => WriteBytesAsync(context, System.Text.Encoding.UTF8.GetBytes(text));

    private static Task WriteBytesAsync(HttpContext context, byte[] bytes)
    {
        context.Response.ContentLength = bytes.Length;
        return HttpMethods.IsHead(context.Request.Method)
            ? Task.CompletedTask
            : context.Response.Body.WriteAsync(bytes, context.RequestAborted).AsTask();
    }
}
