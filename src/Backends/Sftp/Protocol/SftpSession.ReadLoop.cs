using System.Buffers;
using System.Buffers.Binary;

namespace VfsGateway.Backends.Sftp.Protocol;

/// <summary>
/// The reader thread: blocking reads of whole replies from the server's stream, dispatched by
/// request id. A READ's data goes straight into its waiter's buffer; anything else is handed
/// over in a pooled buffer. Any malformed reply or broken stream ends the session.
/// </summary>
internal sealed partial class SftpSession
{
    private void ReadLoop()
    {
        Exception reason;
        SftpRequest? delivering = null;
        try
        {
            ReadVersion();
            while (TryReadReply(ref delivering))
            {
            }

            reason = new EndOfStreamException("the server closed the sftp stream");
        }
        catch (Exception e)
        {
            reason = e;
        }

        var failure = Fail(reason);
        if (delivering is not null)
        {
            // The reply that broke the stream was already taken out of the table: fail it here.
            delivering.Fail(failure);
            delivering.FailDelivery(failure);
        }

        _closed.TrySetResult();
    }

    private void ReadVersion()
    {
        Span<byte> header = stackalloc byte[9];
        if (!_input.TryReadExactly(header))
        {
            throw new EndOfStreamException("the server closed the stream before SSH_FXP_VERSION");
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(header);
        var type = (SftpPacketType)header[4];
        var version = BinaryPrimitives.ReadUInt32BigEndian(header[5..]);
        if (type != SftpPacketType.Version || length < 5 || length > MaxPacketLength)
        {
            throw new SftpProtocolException($"expected SSH_FXP_VERSION, got packet type {(byte)type} of {length} bytes (is something printing to stdout in the login shell?)");
        }

        if (version != ProtocolVersion)
        {
            throw new SftpProtocolException($"the server speaks SFTP version {version}; only version 3 is supported");
        }

        var body = new byte[length - 5];
        _input.ReadExactly(body);
        var reader = new SftpPacketReader(body);
        var extensions = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Remaining > 0)
        {
            var name = reader.ReadString();
            extensions[name] = reader.ReadString();
        }

        _version.TrySetResult(extensions);
    }

    /// <summary>Reads one reply and hands it to its waiter; false on a clean end of stream.</summary>
    private bool TryReadReply(ref SftpRequest? delivering)
    {
        Span<byte> header = stackalloc byte[9];
        if (!_input.TryReadExactly(header))
        {
            return false;
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(header);
        var type = (SftpPacketType)header[4];
        var id = BinaryPrimitives.ReadUInt32BigEndian(header[5..]);
        if (length < 5 || length > MaxPacketLength)
        {
            throw new SftpProtocolException($"reply length {length} out of range");
        }

        SftpRequest? request;
        lock (_lock)
        {
            _pending.Remove(id, out request);
        }

        if (request is null)
        {
            throw new SftpProtocolException($"reply (type {(byte)type}) to unknown request id {id}");
        }

        delivering = request;

        var remaining = (int)length - 5;
        if (type == SftpPacketType.Data && !request.Destination.IsEmpty)
        {
            if (remaining < 4)
            {
                throw new SftpProtocolException("SSH_FXP_DATA without a data length");
            }

            var count = _input.ReadUInt32();
            if (count != (uint)(remaining - 4) || count > (uint)request.Destination.Length)
            {
                throw new SftpProtocolException($"SSH_FXP_DATA of {count} bytes for a read of {request.Destination.Length} (packet {remaining - 4})");
            }

            if (request.TryBeginDelivery())
            {
                _input.ReadExactly(request.Destination.Span[..(int)count]);
                delivering = null;
                request.Complete(new SftpResponse(type, null, 0, (int)count));
            }
            else
            {
                _input.Skip(count);
                delivering = null;
            }

            return true;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(remaining, 1));
        try
        {
            _input.ReadExactly(buffer.AsSpan(0, remaining));
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }

        delivering = null;
        if (request.TryBeginDelivery())
        {
            request.Complete(new SftpResponse(type, buffer, remaining, 0));
        }
        else
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return true;
    }
}
