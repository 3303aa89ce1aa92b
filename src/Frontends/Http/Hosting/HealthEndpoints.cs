using Microsoft.AspNetCore.Http;

namespace VfsGateway.Frontends.Http.Hosting;

/// <summary>
/// Probes for load balancers and orchestrators, answered before the frontend (no credentials):
/// <c>GET /_gateway/health/live</c> is 200 while the process serves requests;
/// <c>GET /_gateway/health/ready</c> is 200 when <see cref="GatewayHostSettings.Readiness"/> finds
/// nothing wrong (backend reachable, cache writable), else 503 with the reason in one line.
/// </summary>
internal static class HealthEndpoints
{
    public const string LivePath = "/_gateway/health/live";
    public const string ReadyPath = "/_gateway/health/ready";

    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(10);

    public static RequestDelegate Create(RequestDelegate next, Func<CancellationToken, Task<string?>>? readiness) => async context =>
    {
        var path = context.Request.Path.Value;
        if (path is not (LivePath or ReadyPath) || !(HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        string? problem = null;
        if (path == ReadyPath && readiness is not null)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            timeout.CancelAfter(ProbeTimeout);
            try
            {
                problem = await readiness(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
            {
                problem = $"readiness check did not finish within {ProbeTimeout.TotalSeconds:0} s";
            }
        }

        context.Response.StatusCode = problem is null ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        if (HttpMethods.IsGet(context.Request.Method))
        {
            await context.Response.WriteAsync(problem is null ? "ok\n" : $"not ready: {problem}\n", context.RequestAborted).ConfigureAwait(false);
        }
    };
}
