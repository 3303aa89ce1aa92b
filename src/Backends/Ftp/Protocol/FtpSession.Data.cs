using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;

namespace VfsGateway.Backends.Ftp.Protocol;

/// <summary>Passive data connections (EPSV, else PASV) and the transfers over them: listings, uploads, reads.</summary>
internal sealed partial class FtpSession
{
    private const int CopyBufferSize = 256 * 1024;

    /// <summary>Lists with MLSD or LIST (<paramref name="command"/>), parsing each line with <paramref name="parse"/>.</summary>
    public async Task<List<FtpListEntry>> ListAsync(string command, Func<string, FtpListEntry?> parse, CancellationToken cancellationToken)
    {
        var channel = await OpenPassiveAsync(cancellationToken).ConfigureAwait(false);
        var entries = new List<FtpListEntry>();
        await using (channel.ConfigureAwait(false))
        {
            await StartTransferAsync(command, channel, cancellationToken).ConfigureAwait(false);
            await DataAsync(async ct =>
            {
                var reader = new FtpLineReader(channel.Stream);
                while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
                {
                    if (parse(line) is { } entry)
                    {
                        entries.Add(entry);
                    }
                }

                return true;
            }, cancellationToken).ConfigureAwait(false);
        }

        var done = await ReadReplyAsync(cancellationToken).ConfigureAwait(false);
        return done.IsSuccess ? entries : throw new FtpReplyException(Verb(command), done);
    }

    /// <summary>
    /// STOR (or APPE) of <paramref name="content"/>: exactly <paramref name="length"/> bytes when known,
    /// else to its end. Returns the bytes sent. A content stream that throws or ends early resets the
    /// data connection (so the server cannot take it for a complete file) and the exception propagates
    /// (<see cref="EndOfStreamException"/> for a short stream).
    /// </summary>
    public async Task<long> StoreAsync(string command, Stream content, long? length, CancellationToken cancellationToken)
    {
        var channel = await OpenPassiveAsync(cancellationToken).ConfigureAwait(false);
        long sent = 0;
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            await StartTransferAsync(command, channel, cancellationToken).ConfigureAwait(false);
            while (length is not { } l || sent < l)
            {
                var want = length is { } total ? (int)Math.Min(buffer.Length, total - sent) : buffer.Length;
                var read = await content.ReadAsync(buffer.AsMemory(0, want), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    if (length is { } expected && sent < expected)
                    {
                        throw new EndOfStreamException($"content ended after {sent} of {expected} bytes");
                    }

                    break;
                }

                await DataAsync(async ct =>
                {
                    await channel.Stream.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
                    return true;
                }, cancellationToken).ConfigureAwait(false);
                sent += read;
            }

            await DataAsync(async ct =>
            {
                await channel.CompleteUploadAsync(ct).ConfigureAwait(false);
                return true;
            }, cancellationToken).ConfigureAwait(false);
            await channel.DisposeAsync().ConfigureAwait(false);
        }
        catch (FtpReplyException)
        {
            // The server refused the command itself: nothing was transferred, the session is fine.
            await channel.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        catch
        {
            if (channel.IsTls)
            {
                Retire();
            }

            channel.Abort();
            await ResyncAfterAbortAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        var done = await ReadReplyAsync(cancellationToken).ConfigureAwait(false);
        return done.IsSuccess ? sent : throw new FtpReplyException(Verb(command), done) { AfterTransfer = true };
    }

    /// <summary>REST (when <paramref name="offset"/> &gt; 0) and RETR: a stream of at most <paramref name="count"/> bytes that owns the transfer.</summary>
    public async Task<FtpReadStream> RetrieveAsync(string path, long offset, long count, bool toEnd, IDisposable lease, Func<Exception, Exception> mapError, CancellationToken cancellationToken)
    {
        var channel = await OpenPassiveAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (offset > 0)
            {
                await ExpectAsync("REST " + offset.ToString(CultureInfo.InvariantCulture), cancellationToken, 350).ConfigureAwait(false);
            }

            await StartTransferAsync("RETR " + path, channel, cancellationToken).ConfigureAwait(false);
            return new FtpReadStream(this, channel, count, toEnd, lease) { MapError = mapError };
        }
        catch
        {
            await channel.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Runs data-connection I/O; a failure there breaks the session (the transfer's state is unknown).</summary>
    internal async Task<T> DataAsync<T>(Func<CancellationToken, Task<T>> io, CancellationToken cancellationToken)
    {
        try
        {
            return await io(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            IsBroken = true;
            throw;
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or AuthenticationException)
        {
            IsBroken = true;
            throw new FtpProtocolException($"data connection lost ({e.Message})", e);
        }
    }

    /// <summary>
    /// After an aborted transfer: the server answers the transfer with 4yz/5yz (or 226 if it had
    /// everything). Read that one reply briefly; if it does not come the session is discarded.
    /// </summary>
    internal async Task ResyncAfterAbortAsync()
    {
        if (IsBroken)
        {
            return;
        }

        try
        {
            using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await ReadReplyCoreAsync(quick.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or FtpProtocolException or ObjectDisposedException or AuthenticationException)
        {
            IsBroken = true;
        }
    }

    /// <summary>
    /// Ends a download the reader stopped early (RFC 959 §4.1.3 ABOR): the data connection is
    /// already closed; ABOR then yields two replies, the transfer's (426, or 226 if it had finished)
    /// and ABOR's own (226/225). Anything else, or silence, discards the session.
    /// </summary>
    internal async Task AbortTransferAsync()
    {
        if (IsBroken)
        {
            return;
        }

        try
        {
            using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await SendAsync("ABOR", quick.Token).ConfigureAwait(false);
            var first = await ReadReplyCoreAsync(quick.Token).ConfigureAwait(false);
            if (first.Code is 225 or 226 && first.Message.Contains("ABOR", StringComparison.OrdinalIgnoreCase))
            {
                // Some servers answer ABOR alone when the transfer reply was already consumed.
                return;
            }

            var second = await ReadReplyCoreAsync(quick.Token).ConfigureAwait(false);
            if (!second.IsSuccess)
            {
                IsBroken = true;
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or FtpProtocolException or ObjectDisposedException or AuthenticationException)
        {
            IsBroken = true;
        }
    }

    private async Task<FtpDataChannel> OpenPassiveAsync(CancellationToken cancellationToken)
    {
        int port;
        if (!_epsvRefused)
        {
            var epsv = await CommandAsync("EPSV", cancellationToken).ConfigureAwait(false);
            if (epsv.Code == 229)
            {
                port = ParseEpsv(epsv.Message) ?? throw new FtpProtocolException($"unreadable EPSV reply '{epsv.Message}'");
                return await ConnectDataAsync(port, cancellationToken).ConfigureAwait(false);
            }

            if (epsv.Code is not (500 or 501 or 502 or 504 or 522))
            {
                throw new FtpReplyException("EPSV", epsv);
            }

            // RFC 2428 is optional: fall back to PASV for the rest of this session.
            _epsvRefused = true;
        }

        var pasv = await ExpectAsync("PASV", cancellationToken, 227).ConfigureAwait(false);
        port = ParsePasv(pasv.Message) ?? throw new FtpProtocolException($"unreadable PASV reply '{pasv.Message}'");
        return await ConnectDataAsync(port, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Connects to the passive port on the control connection's own peer address: PASV's address
    /// is ignored (as curl and rclone do), since NAT'ed servers often announce a private one.
    /// </summary>
    private Task<FtpDataChannel> ConnectDataAsync(int port, CancellationToken cancellationToken) =>
        GuardAsync(async ct =>
        {
            var socket = new Socket(_peer.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(_peer, port), ct).ConfigureAwait(false);
                return new FtpDataChannel(socket);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }, cancellationToken);

    /// <summary>Sends a transfer command; on its 1yz reply the data connection is upgraded to TLS under PROT P.</summary>
    private async Task StartTransferAsync(string command, FtpDataChannel channel, CancellationToken cancellationToken)
    {
        var reply = await GuardAsync(async ct =>
        {
            await SendAsync(command, ct).ConfigureAwait(false);
            return await ReadReplyCoreAsync(ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        if (!reply.IsPreliminary)
        {
            throw new FtpReplyException(Verb(command), reply);
        }

        if (ProtectedData)
        {
            // The handshake resumes the control connection's session (shared options, see FtpTls).
            await GuardAsync(async ct =>
            {
                await channel.UpgradeAsync(_tls!, ct).ConfigureAwait(false);
                return true;
            }, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>"229 Entering Extended Passive Mode (|||6446|)" → 6446 (RFC 2428 §3).</summary>
    internal static int? ParseEpsv(string message)
    {
        var open = message.IndexOf('(', StringComparison.Ordinal);
        var close = message.LastIndexOf(')');
        if (open < 0 || close <= open + 1)
        {
            return null;
        }

        var inner = message[(open + 1)..close];
        var parts = inner.Split(inner[0]);
        return parts.Length == 5 && int.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
            ? port
            : null;
    }

    /// <summary>"227 Entering Passive Mode (h1,h2,h3,h4,p1,p2)" (parentheses optional) → p1*256+p2.</summary>
    internal static int? ParsePasv(string message)
    {
        var start = message.IndexOfAny("0123456789".ToCharArray(), message.IndexOf(' ', StringComparison.Ordinal) + 1);
        if (start < 0)
        {
            return null;
        }

        var end = start;
        while (end < message.Length && (char.IsAsciiDigit(message[end]) || message[end] == ','))
        {
            end++;
        }

        var numbers = message[start..end].Split(',');
        if (numbers.Length != 6 || !numbers.All(n => int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var b) && b <= 255))
        {
            return null;
        }

        var port = (int.Parse(numbers[4], CultureInfo.InvariantCulture) * 256) + int.Parse(numbers[5], CultureInfo.InvariantCulture);
        return port > 0 ? port : null;
    }
}
