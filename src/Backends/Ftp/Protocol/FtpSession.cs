using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;

namespace VfsGateway.Backends.Ftp.Protocol;

/// <summary>
/// One FTP control connection (RFC 959), logged in, binary mode, and its passive data
/// connections. Not thread-safe: the pool hands it to one operation at a time. Any I/O failure,
/// timeout, cancellation mid-command or 421 marks it <see cref="IsBroken"/> (the pool discards
/// it) and surfaces as <see cref="FtpProtocolException"/> (or the caller's cancellation).
/// </summary>
internal sealed partial class FtpSession : IAsyncDisposable
{
    /// <summary>How long a reply may take; a stalled server then counts as a dropped connection.</summary>
    public static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(60);

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);
    private readonly Socket _socket;
    private readonly FtpLineReader _reader;
    private readonly FtpReplyParser _parser = new();
    private readonly SslClientAuthenticationOptions? _tls;
    private readonly IPAddress _peer;
    private Stream _stream;
    private bool _epsvRefused;

    private FtpSession(Socket socket, FtpTls? tls, bool disableEpsv)
    {
        _socket = socket;
        _tls = tls?.ForSession();
        _epsvRefused = disableEpsv;
        var peer = ((IPEndPoint)socket.RemoteEndPoint!).Address;
        _peer = peer.IsIPv4MappedToIPv6 ? peer.MapToIPv4() : peer;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _reader = new FtpLineReader(_stream);
        Touch();
    }

    /// <summary>Upper-case feature names from FEAT (the first word of each line: MLST, SIZE, MDTM, REST, UTF8, EPSV, MFMT …).</summary>
    public IReadOnlySet<string> Features { get; private set; } = new HashSet<string>();

    /// <summary>The data channel is protected (PROT P).</summary>
    public bool ProtectedData { get; private set; }

    public bool IsBroken { get; private set; }

    /// <summary><see cref="Environment.TickCount64"/> of the last command.</summary>
    public long LastUsed { get; private set; }

    /// <summary>The login directory (PWD right after login).</summary>
    public string HomeDirectory { get; private set; } = "/";

    /// <summary>
    /// An idle connection with something to read is dead or doomed: EOF (the server closed it,
    /// e.g. its idle timeout) or an unsolicited reply (421). Checked before reuse.
    /// </summary>
    public bool IsPeerClosed
    {
        get
        {
            try
            {
                return IsBroken || _socket.Poll(0, SelectMode.SelectRead);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return true;
            }
        }
    }

    public bool Has(string feature) => Features.Contains(feature);

    /// <summary>Sends a command and returns its final reply (1yz replies are skipped).</summary>
    public Task<FtpReply> CommandAsync(string command, CancellationToken cancellationToken) =>
        GuardAsync(async ct =>
        {
            await SendAsync(command, ct).ConfigureAwait(false);
            FtpReply reply;
            do
            {
                reply = await ReadReplyCoreAsync(ct).ConfigureAwait(false);
            }
            while (reply.IsPreliminary);

            return reply;
        }, cancellationToken);

    /// <summary>Sends a command and throws <see cref="FtpReplyException"/> unless its reply code is one of <paramref name="expected"/>'s.</summary>
    public async Task<FtpReply> ExpectAsync(string command, CancellationToken cancellationToken, params int[] expected)
    {
        var reply = await CommandAsync(command, cancellationToken).ConfigureAwait(false);
        return expected.Contains(reply.Code) || (expected.Length == 0 && reply.IsSuccess)
            ? reply
            : throw new FtpReplyException(Verb(command), reply);
    }

    /// <summary>Reads the next reply (the end of a transfer, or ABOR's answer).</summary>
    public Task<FtpReply> ReadReplyAsync(CancellationToken cancellationToken) => GuardAsync(ReadReplyCoreAsync, cancellationToken);

    /// <summary>NOOP: a liveness check and keep-alive for an idle connection.</summary>
    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            return (await CommandAsync("NOOP", cancellationToken).ConfigureAwait(false)).IsSuccess;
        }
        catch (FtpProtocolException)
        {
            return false;
        }
    }

    /// <summary>
    /// The session works but should not be reused: a TLS data connection closed before its TLS 1.3
    /// session ticket was read used up the control connection's resumable session (tickets are
    /// single-use), so the next data connection could not resume it. The pool closes it quietly.
    /// </summary>
    public bool IsRetired { get; private set; }

    public void Retire() => IsRetired = true;

    /// <summary>Marks the session unusable (a transfer ended in an unknown state).</summary>
    public void Invalidate() => IsBroken = true;

    public async ValueTask DisposeAsync()
    {
        if (!IsBroken)
        {
            try
            {
                using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await SendAsync("QUIT", quick.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // Closing anyway.
            }
        }

        IsBroken = true;
        try
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The socket goes either way.
        }

        _socket.Dispose();
    }

    private static string Verb(string command)
    {
        var space = command.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? command : command[..space];
    }

    private void Touch() => LastUsed = Environment.TickCount64;

    private async Task SendAsync(string command, CancellationToken cancellationToken)
    {
        if (command.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            throw new ArgumentException("an FTP command cannot contain a line break", nameof(command));
        }

        var bytes = Utf8.GetBytes(command + "\r\n");
        await _stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        Touch();
    }

    private async Task<FtpReply> ReadReplyCoreAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var line = await _reader.ReadLineAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new FtpProtocolException("the server closed the control connection");
            if (_parser.Add(line) is { } reply)
            {
                if (reply.Code == 421)
                {
                    // "Service not available, closing control connection" (RFC 959 §4.2).
                    IsBroken = true;
                }

                Touch();
                return reply;
            }
        }
    }

    /// <summary>Runs one exchange with the reply timeout; any failure of the connection breaks the session.</summary>
    private async Task<T> GuardAsync<T>(Func<CancellationToken, Task<T>> exchange, CancellationToken cancellationToken)
    {
        if (IsBroken)
        {
            throw new FtpProtocolException("the connection was closed");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ReplyTimeout);
        try
        {
            return await exchange(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            IsBroken = true;
            throw new FtpProtocolException($"no reply from the server within {ReplyTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s");
        }
        catch (OperationCanceledException)
        {
            IsBroken = true;
            throw;
        }
        catch (FtpProtocolException)
        {
            IsBroken = true;
            throw;
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or AuthenticationException)
        {
            IsBroken = true;
            throw new FtpProtocolException($"connection lost ({e.Message})", e);
        }
    }

    private async Task UpgradeControlAsync(CancellationToken cancellationToken)
    {
        if (_reader.HasBuffered)
        {
            // RFC 4217 §4: nothing may follow the 234 in the clear (a STARTTLS-style injection).
            throw new FtpProtocolException("the server sent data after agreeing to TLS");
        }

        var ssl = new SslStream(_stream, leaveInnerStreamOpen: false);
        _stream = ssl;
        _reader.Stream = ssl;
        await ssl.AuthenticateAsClientAsync(_tls!, cancellationToken).ConfigureAwait(false);
    }
}
