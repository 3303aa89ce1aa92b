using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace VfsGateway.Frontends.Http.Hosting;

/// <summary>Writes one combined-format line per request after the frontend has answered it.</summary>
internal sealed class AccessLogMiddleware(RequestDelegate next, AccessLogWriter writer, TimeProvider clock)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = clock.GetLocalNow();
        var inner = context.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
        var counting = new CountingResponseBodyFeature(inner);
        context.Features.Set<IHttpResponseBodyFeature>(counting);
        var failed = false;
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch
        {
            failed = true;
            throw;
        }
        finally
        {
            context.Features.Set(inner);
            // An exception before the response started becomes Kestrel's 500.
            int? status = failed && !context.Response.HasStarted ? StatusCodes.Status500InternalServerError : null;
            await writer.WriteLineAsync(AccessLogFormatter.Format(context, started, counting.BytesWritten, status)).ConfigureAwait(false);
        }
    }
}
