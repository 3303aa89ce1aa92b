using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace VfsGateway.Frontends.Http.Hosting;

/// <summary>
/// A Kestrel transport for <see cref="StdioEndPoint"/> only; every other endpoint goes to the
/// socket transport (Kestrel asks each factory's <see cref="CanBind"/>).
/// </summary>
internal sealed class StdioConnectionListenerFactory(ILoggerFactory loggerFactory) : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    public bool CanBind(EndPoint endpoint) => endpoint is StdioEndPoint;

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default) =>
        endpoint is StdioEndPoint stdio
            ? ValueTask.FromResult<IConnectionListener>(new StdioConnectionListener(stdio, loggerFactory.CreateLogger<StdioConnection>()))
            : throw new NotSupportedException($"the stdio transport cannot bind {endpoint}");
}
