using System.IO.Pipelines;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace VfsGateway.Frontends.Http.Hosting;

/// <summary>
/// The one connection of <c>--stdio</c>. Like Kestrel's socket transport it pumps bytes between
/// the streams and two pipes (Kestrel reads one, writes the other), so that an abort never has to
/// interrupt a blocking read of stdin (a pipe read cannot be cancelled on Linux).
/// </summary>
internal sealed partial class StdioConnection : ConnectionContext, IConnectionLifetimeFeature
{
    private const int ReadBufferSize = 64 * 1024;
    private readonly StdioEndPoint _endPoint;
    private readonly ILogger _logger;
    private readonly Pipe _inbound = new(new PipeOptions(useSynchronizationContext: false));
    private readonly Pipe _outbound = new(new PipeOptions(useSynchronizationContext: false));
    private readonly CancellationTokenSource _closed = new();
    private Task _inputPump = Task.CompletedTask;
    private Task _outputPump = Task.CompletedTask;
    private int _disposed;

    private StdioConnection(StdioEndPoint endPoint, ILogger logger)
    {
        _endPoint = endPoint;
        _logger = logger;
        Transport = new DuplexPipe(_inbound.Reader, _outbound.Writer);
        Features.Set<IConnectionLifetimeFeature>(this);
        LocalEndPoint = endPoint;
        ConnectionClosed = _closed.Token;
    }

    public override string ConnectionId { get; set; } = "stdio";

    public override IFeatureCollection Features { get; } = new FeatureCollection();

    public override IDictionary<object, object?> Items { get; set; } = new Dictionary<object, object?>();

    public override IDuplexPipe Transport { get; set; }

    public override EndPoint? LocalEndPoint { get; set; }

    public override EndPoint? RemoteEndPoint { get; set; }

    public override CancellationToken ConnectionClosed { get; set; }

    public static StdioConnection Start(StdioEndPoint endPoint, ILogger logger)
    {
        var connection = new StdioConnection(endPoint, logger);
        connection._inputPump = Task.Run(connection.PumpInputAsync);
        connection._outputPump = Task.Run(connection.PumpOutputAsync);
        return connection;
    }

    public override void Abort(ConnectionAbortedException abortReason)
    {
        LogAborted(_logger, abortReason.Message);
        Close();
    }

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // As Kestrel's socket transport does, the transport completes the application's ends of the
        // pipes; then the last frames (GOAWAY) still drain to stdout before the streams are let go.
        await Transport.Input.CompleteAsync().ConfigureAwait(false);
        await Transport.Output.CompleteAsync().ConfigureAwait(false);
        await _outputPump.ConfigureAwait(false);
        Close();
        await _inputPump.ConfigureAwait(false);
        _closed.Dispose();
        _endPoint.SignalClosed();
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private void Close()
    {
        try
        {
            _closed.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task PumpInputAsync()
    {
        // A private array, not pipe memory: a read abandoned on abort may still complete into it later.
        var buffer = new byte[ReadBufferSize];
        var writer = _inbound.Writer;
        Exception? error = null;
        try
        {
            while (true)
            {
                var read = await _endPoint.Input.ReadAsync(buffer).AsTask().WaitAsync(_closed.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    LogInputEnded(_logger);
                    break;
                }

                var flush = await writer.WriteAsync(buffer.AsMemory(0, read), _closed.Token).ConfigureAwait(false);
                if (flush.IsCompleted || flush.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            error = new ConnectionAbortedException("the stdio connection was closed");
        }
        catch (IOException e)
        {
            LogIoError(_logger, "stdin", e.Message);
            error = new ConnectionResetException(e.Message, e);
        }

        await writer.CompleteAsync(error).ConfigureAwait(false);
    }

    private async Task PumpOutputAsync()
    {
        var reader = _outbound.Reader;
        Exception? error = null;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(_closed.Token).ConfigureAwait(false);
                foreach (var segment in result.Buffer)
                {
                    await _endPoint.Output.WriteAsync(segment, _closed.Token).ConfigureAwait(false);
                }

                await _endPoint.Output.FlushAsync(_closed.Token).ConfigureAwait(false);
                reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            error = new ConnectionAbortedException("the stdio connection was closed");
        }
        catch (IOException e)
        {
            // The client closed its end (EPIPE): nothing more can be said on this connection.
            LogIoError(_logger, "stdout", e.Message);
            error = new ConnectionResetException(e.Message, e);
            Close();
        }

        await reader.CompleteAsync(error).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "stdio: stdin reached end of file")]
    private static partial void LogInputEnded(ILogger logger);

    [LoggerMessage(Level = LogLevel.Debug, Message = "stdio: connection aborted: {Reason}")]
    private static partial void LogAborted(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "stdio: {Stream} failed: {Error}")]
    private static partial void LogIoError(ILogger logger, string stream, string error);

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
