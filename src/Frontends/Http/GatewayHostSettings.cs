namespace VfsGateway.Frontends.Http;

/// <summary>How <see cref="GatewayHost"/> presents itself; everything has a production default.</summary>
public sealed record GatewayHostSettings
{
    /// <summary>What is served, for the startup line ("restic REST").</summary>
    public string Description { get; init; } = "HTTP";

    /// <summary>The remote behind the frontend, for the startup line ("local:/srv/restic"); never contains secrets.</summary>
    public string? Remote { get; init; }

    /// <summary>Where the startup line and fatal startup errors go; null means stderr.</summary>
    public TextWriter? Diagnostics { get; init; }

    /// <summary>Where "--log -" goes when not in --stdio mode; null means stdout.</summary>
    public TextWriter? StandardOutput { get; init; }

    /// <summary>The --stdio connection's input; null means the process's stdin.</summary>
    public Stream? StdioInput { get; init; }

    /// <summary>The --stdio connection's output; null means the process's stdout.</summary>
    public Stream? StdioOutput { get; init; }

    /// <summary>How long a shutdown waits for requests in flight before aborting them.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The access log's clock.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>
    /// The readiness probe behind <c>/_gateway/health/ready</c>: null when ready, else the reason
    /// (one line, no secrets). Null means "ready whenever live".
    /// </summary>
    public Func<CancellationToken, Task<string?>>? Readiness { get; init; }

    /// <summary>
    /// Kestrel runs the request pipeline inline on the thread that completed the socket read
    /// (<c>SocketTransportOptions.UnsafePreferInlineScheduling</c>) instead of hopping to the thread
    /// pool. Paired with inline socket completions (<c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c>,
    /// set by the CLI) a request body goes from the epoll thread through the handler to the file
    /// without a thread switch: 60 % fewer context switches in a restic backup + restore
    /// (docs/performance.md). Only for frontends whose request path never waits on another socket
    /// (a local or memory remote): a handler that blocks stalls every connection of its event thread.
    /// </summary>
    public bool InlineSocketIo { get; init; }
}
