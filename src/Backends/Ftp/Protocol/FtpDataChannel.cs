using System.Net.Security;
using System.Net.Sockets;

namespace VfsGateway.Backends.Ftp.Protocol;

/// <summary>One passive-mode data connection: a TCP socket, upgraded to TLS after the transfer command is accepted under PROT P.</summary>
internal sealed class FtpDataChannel(Socket socket) : IAsyncDisposable
{
    private Stream _stream = new NetworkStream(socket, ownsSocket: true);

    public Stream Stream => _stream;

    public bool IsTls => _stream is SslStream;

    public async ValueTask UpgradeAsync(SslClientAuthenticationOptions tls, CancellationToken cancellationToken)
    {
        var ssl = new SslStream(_stream, leaveInnerStreamOpen: false);
        _stream = ssl;
        await ssl.AuthenticateAsClientAsync(tls, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ends an upload cleanly: TLS close_notify, then FIN, so the server sees the end of the file (RFC 4217 §9).</summary>
    public async ValueTask CompleteUploadAsync(CancellationToken cancellationToken)
    {
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (_stream is SslStream ssl)
        {
            await ssl.ShutdownAsync().ConfigureAwait(false);
        }

        socket.Shutdown(SocketShutdown.Send);
        if (_stream is SslStream)
        {
            // TLS 1.3 session tickets arrive after the handshake; an upload never reads, so read
            // to the server's close: the fresh ticket is what the next data connection resumes.
            var scratch = new byte[256];
            while (await _stream.ReadAsync(scratch, cancellationToken).ConfigureAwait(false) > 0)
            {
            }
        }
    }

    /// <summary>Closes at once (an aborted transfer): RST rather than FIN, so a server never mistakes it for a complete upload.</summary>
    public void Abort()
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (SocketException)
        {
            // Already closed.
        }
        catch (ObjectDisposedException)
        {
            // Already closed.
        }

        socket.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The peer may already have gone; the transfer's outcome comes from the control reply.
        }
    }
}
