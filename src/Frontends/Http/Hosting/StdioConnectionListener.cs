using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace VfsGateway.Frontends.Http.Hosting;

/// <summary>
/// Yields exactly one connection (the stdio pair), then waits until Kestrel unbinds: a second
/// connection over the same pipes cannot exist.
/// </summary>
internal sealed class StdioConnectionListener(StdioEndPoint endPoint, ILogger<StdioConnection> logger) : IConnectionListener
{
    private readonly TaskCompletionSource _unbound = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _accepted;

    public EndPoint EndPoint => endPoint;

    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _accepted, 1) == 0)
        {
            return StdioConnection.Start(endPoint, logger);
        }

        try
        {
            await _unbound.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        return null;
    }

    public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        _unbound.TrySetResult();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        _unbound.TrySetResult();
        return ValueTask.CompletedTask;
    }
}
