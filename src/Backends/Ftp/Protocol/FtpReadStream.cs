using VfsGateway.Vfs;

namespace VfsGateway.Backends.Ftp.Protocol;

/// <summary>
/// The data of one RETR, at most <c>count</c> bytes. Reading to the end checks the transfer's
/// final reply (a 4yz/5yz there, or a short transfer, is an error: a dropped server never looks
/// like a complete file). Disposing early closes the data connection and ABORs. The pooled
/// connection is given back (or, when broken, discarded) on dispose.
/// </summary>
internal sealed class FtpReadStream : ReadOnlyStream
{
    private readonly FtpSession _session;
    private readonly FtpDataChannel _channel;
    private readonly IDisposable _lease;
    private long _remaining;
    private bool _finished;
    private readonly bool _toEnd;
    private bool _disposed;
    private bool _anyRead;

    /// <param name="toEnd">The count reaches the end of the file: expect EOF and 226 after it rather than ABOR.</param>
    public FtpReadStream(FtpSession session, FtpDataChannel channel, long count, bool toEnd, IDisposable lease)
    {
        _session = session;
        _channel = channel;
        _remaining = count;
        _toEnd = toEnd;
        _lease = lease;
    }

    /// <summary>Turns a failed transfer into the caller's exception (set by the backend to map to VfsException).</summary>
    public Func<Exception, Exception> MapError { get; init; } = e => e;

    public override bool CanRead => !_disposed;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_finished || buffer.Length == 0)
        {
            return 0;
        }

        if (_remaining <= 0)
        {
            var atEnd = _toEnd && await ProbeEndAsync(cancellationToken).ConfigureAwait(false);
            await FinishAsync(complete: atEnd, cancellationToken).ConfigureAwait(false);
            return 0;
        }

        var want = (int)Math.Min(buffer.Length, _remaining);
        int read;
        try
        {
            read = await _session.DataAsync(ct => ReadChannelAsync(buffer[..want], ct), cancellationToken).ConfigureAwait(false);
        }
        catch (FtpProtocolException e)
        {
            _finished = true;
            throw MapError(e);
        }

        if (read == 0)
        {
            // The server closed the data connection: its final reply says whether that was the end.
            await FinishAsync(complete: true, cancellationToken).ConfigureAwait(false);
            return 0;
        }

        _remaining -= read;
        return read;
    }

    public override async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            if (!_finished)
            {
                _finished = true;
                if (_channel.IsTls && !_anyRead)
                {
                    _session.Retire();
                }

                await _channel.DisposeAsync().ConfigureAwait(false);
                await _session.AbortTransferAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _lease.Dispose();
            await base.DisposeAsync().ConfigureAwait(false);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        base.Dispose(disposing);
    }

    private async Task<int> ReadChannelAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var read = await _channel.Stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        _anyRead = true;
        return read;
    }

    /// <summary>True when the server closes the data connection right after the expected bytes (the file did not grow).</summary>
    private async Task<bool> ProbeEndAsync(CancellationToken cancellationToken)
    {
        var probe = new byte[1];
        try
        {
            return await _session.DataAsync(ct => ReadChannelAsync(probe, ct), cancellationToken).ConfigureAwait(false) == 0;
        }
        catch (FtpProtocolException e)
        {
            _finished = true;
            throw MapError(e);
        }
    }

    /// <summary>
    /// <paramref name="complete"/>: the server ended the data (EOF), so its 226 must follow and
    /// any bytes still expected mean the file was shorter than its size said (or the server died).
    /// Otherwise the wanted range is read and the rest of the file is refused with ABOR.
    /// </summary>
    private async Task FinishAsync(bool complete, CancellationToken cancellationToken)
    {
        _finished = true;
        await _channel.DisposeAsync().ConfigureAwait(false);
        if (!complete)
        {
            await _session.AbortTransferAsync().ConfigureAwait(false);
            return;
        }

        FtpReply reply;
        try
        {
            reply = await _session.ReadReplyAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (FtpProtocolException e)
        {
            throw MapError(e);
        }

        if (!reply.IsSuccess)
        {
            throw MapError(new FtpReplyException("RETR", reply));
        }
    }
}
