using System.Net;

namespace VfsGateway.Frontends.Http.Hosting;

/// <summary>
/// The "address" of <c>--stdio</c>: one HTTP/2 connection carried by a pair of streams (the
/// process's stdin and stdout in production, pipes in tests). Kestrel binds it through
/// <see cref="StdioConnectionListenerFactory"/>; <see cref="Closed"/> completes when that single
/// connection has ended, which is when the process should exit.
/// </summary>
internal sealed class StdioEndPoint : EndPoint
{
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public StdioEndPoint(Stream input, Stream output)
    {
        Input = input;
        Output = output;
    }

    public Stream Input { get; }

    public Stream Output { get; }

    /// <summary>Completes when the connection ended (stdin reached EOF, stdout broke, or the server aborted it).</summary>
    public Task Closed => _closed.Task;

    internal void SignalClosed() => _closed.TrySetResult();

    public override string ToString() => "stdio";
}
