using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using VfsGateway.Frontends.Http.Metrics;

namespace VfsGateway.Frontends.Http.Status;

/// <summary>
/// --status-page: a self-contained HTML page at <c>/_gateway/status</c> (inline CSS and script,
/// no external assets) that polls <c>/_gateway/status.json</c>. Every figure comes from a scrape
/// of the frontend's Prometheus registry (<see cref="GatewayMetrics"/>), so the page and
/// Prometheus never disagree; the only state of its own is the list of recent errors and the
/// samples behind the rates. Authentication is the frontend's (the same as its metrics').
/// </summary>
internal sealed class StatusPage
{
    public const string PagePath = "/_gateway/status";
    public const string JsonPath = "/_gateway/status.json";

    private const int ErrorsKept = 20;

    private static readonly Lazy<string> Html = new(LoadHtml);

    private readonly GatewayMetrics _metrics;
    private readonly StatusPageInfo _info;
    private readonly StatusFrontend _frontend;
    private readonly string _cacheMode;
    private readonly TimeProvider _time;
    private readonly RateWindow _window;

    public StatusPage(GatewayMetrics metrics, StatusPageInfo info, StatusFrontend frontend, string cacheMode, TimeProvider? time = null)
    {
        _metrics = metrics;
        _info = info;
        _frontend = frontend;
        _cacheMode = cacheMode;
        _time = time ?? TimeProvider.System;
        _window = new RateWindow(_time);
        Errors = new RecentErrors(ErrorsKept, _time);
    }

    public RecentErrors Errors { get; }

    public static bool IsStatusPath(PathString path) =>
        path.Equals(PagePath, StringComparison.Ordinal) || path.Equals(JsonPath, StringComparison.Ordinal);

    /// <summary>Answers an authorized request for the page or its JSON (GET or HEAD).</summary>
    public async Task WriteAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        var response = context.Response;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            response.Headers.Allow = "GET, HEAD";
            return;
        }

        response.Headers.CacheControl = "no-store";
        response.Headers.XContentTypeOptions = "nosniff";
        byte[] body;
        if (request.Path.Equals(JsonPath, StringComparison.Ordinal))
        {
            response.ContentType = "application/json; charset=utf-8";
            body = await JsonAsync(context.RequestAborted).ConfigureAwait(false);
        }
        else
        {
            // The page's one script and style block carry a fresh nonce; nothing else may run or load.
            var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
            response.ContentType = "text/html; charset=utf-8";
            response.Headers.ContentSecurityPolicy =
                $"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
            body = Encoding.UTF8.GetBytes(Html.Value.Replace("{{NONCE}}", nonce, StringComparison.Ordinal));
        }

        response.ContentLength = body.Length;
        if (HttpMethods.IsGet(request.Method))
        {
            await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>The status document (see docs/operations.md).</summary>
    public async Task<byte[]> JsonAsync(CancellationToken cancellationToken)
    {
        var scrape = Encoding.UTF8.GetString(await _metrics.CollectAsync(cancellationToken).ConfigureAwait(false));
        var samples = MetricsText.Parse(scrape);

        // A few kilobytes of our own figures, not user data.
        using var buffer = new MemoryStream();
        await using (var json = new Utf8JsonWriter(buffer))
        {
            StatusReport.Write(json, _info, _frontend, _cacheMode, samples, _window, Errors.Snapshot(), _time.GetUtcNow());
        }

        return buffer.ToArray();
    }

    private static string LoadHtml()
    {
        using var stream = typeof(StatusPage).Assembly.GetManifestResourceStream("VfsGateway.Frontends.Http.Status.status.html")
            ?? throw new InvalidOperationException("the status page resource is missing from the build");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
