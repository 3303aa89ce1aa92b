using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using VfsGateway.Frontends.Http.Status;

namespace VfsGateway.Frontends.S3;

/// <summary>
/// GET /_gateway/metrics (with --prometheus). Not an S3 operation: a bucket named "metrics" is
/// valid, so the path restic uses would shadow it, while no bucket can be named "_gateway". On a
/// virtual-host request the path is a key, so only path-style hosts serve it. Prometheus cannot
/// sign SigV4, so the scrape authenticates with HTTP Basic: an --auth-key id and secret.
/// </summary>
internal sealed partial class S3Frontend
{
    private bool IsMetricsRequest(HttpContext context) =>
        string.Equals(context.Request.Path.Value, S3Metrics.Path, StringComparison.Ordinal) &&
        S3Request.VirtualHostBucket(context.Request.Host.Host, _options) is null;

    private bool IsStatusRequest(HttpContext context) =>
        StatusPage.IsStatusPath(context.Request.Path) &&
        S3Request.VirtualHostBucket(context.Request.Host.Host, _options) is null;

    private async Task ServeMetricsAsync(HttpContext context, S3Metrics metrics)
    {
        var response = context.Response;
        if (!MetricsAuthorized(context))
        {
            return;
        }

        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            response.Headers.Allow = "GET, HEAD";
            return;
        }

        await metrics.WriteAsync(context).ConfigureAwait(false);
    }

    /// <summary>--status-page: the same credentials as the metrics (a browser can send HTTP Basic, not SigV4).</summary>
    private async Task ServeStatusAsync(HttpContext context, StatusPage status)
    {
        if (MetricsAuthorized(context))
        {
            await status.WriteAsync(context).ConfigureAwait(false);
        }
    }

    /// <summary>True when the request may read the metrics; else answers 401 with a Basic challenge.</summary>
    private bool MetricsAuthorized(HttpContext context)
    {
        if (_options.NoAuth || _options.PrometheusNoAuth || BasicAuthMatchesKey(context.Request.Headers.Authorization.ToString()))
        {
            return true;
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Basic realm=\"gateway metrics\"";
        return false;
    }

    private bool BasicAuthMatchesKey(string header)
    {
        if (!AuthenticationHeaderValue.TryParse(header, out var value) ||
            !string.Equals(value.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) ||
            value.Parameter is null)
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(value.Parameter));
        }
        catch (FormatException)
        {
            return false;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return false;
        }

        var id = Encoding.UTF8.GetBytes(decoded[..colon]);
        var secret = Encoding.UTF8.GetBytes(decoded[(colon + 1)..]);
        var match = false;
        foreach (var key in _options.AuthKeys)
        {
            // Every key is compared in full, so timing does not tell which part was wrong.
            match |= CryptographicOperations.FixedTimeEquals(id, Encoding.UTF8.GetBytes(key.AccessKeyId)) &
                     CryptographicOperations.FixedTimeEquals(secret, Encoding.UTF8.GetBytes(key.SecretAccessKey));
        }

        return match;
    }
}
