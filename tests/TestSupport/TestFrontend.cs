using System.Buffers;
using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using VfsGateway.Frontends.Http;

namespace VfsGateway.TestSupport;

/// <summary>A minimal frontend: echoes protocol/method/path, counts request bodies at /count, and names the user from X-User.</summary>
internal sealed class TestFrontend : IHttpFrontend
{
    private int _startCalls;

    public Exception? StartFailure { get; init; }

    public int StartCalls => _startCalls;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _startCalls);
        return StartFailure is null ? Task.CompletedTask : Task.FromException(StartFailure);
    }

    public async Task HandleAsync(HttpContext context)
    {
        if (context.Request.Headers.TryGetValue("X-User", out var user))
        {
            context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, user.ToString())], "test"));
        }

        if (context.Request.Path == "/count")
        {
            var buffer = ArrayPool<byte>.Shared.Rent(81920);
            long total = 0;
            try
            {
                int read;
                while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
                {
                    total += read;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            await context.Response.WriteAsync(total.ToString(CultureInfo.InvariantCulture), context.RequestAborted);
            return;
        }

        if (context.Request.Path == "/pipe")
        {
            // Exercises the PipeWriter path of the access log's byte counting.
            var memory = context.Response.BodyWriter.GetMemory(10);
            "0123456789"u8.CopyTo(memory.Span);
            context.Response.BodyWriter.Advance(10);
            await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
            return;
        }

        context.Response.ContentType = "text/plain";
        await context.Response.WriteAsync($"{context.Request.Protocol} {context.Request.Method} {context.Request.Path}", context.RequestAborted);
    }
}
