namespace VfsGateway.Backends.Sftp.Protocol;

/// <summary>Reply parsing: every parser releases the reply's buffer and turns a STATUS into an exception.</summary>
internal sealed partial class SftpSession
{
    /// <summary>Accepts a STATUS of <paramref name="expected"/>; any other status throws <see cref="SftpStatusException"/>.</summary>
    private void ExpectStatus(in SftpResponse response, SftpStatusCode expected)
    {
        try
        {
            if (response.Type != SftpPacketType.Status)
            {
                throw ProtocolError($"expected SSH_FXP_STATUS, got packet type {(byte)response.Type}");
            }

            var reader = response.Reader;
            var (code, message) = reader.ReadStatus();
            if (code != expected)
            {
                throw new SftpStatusException(code, message);
            }
        }
        finally
        {
            response.Release();
        }
    }

    private SftpAttributes ParseAttributes(in SftpResponse response)
    {
        if (response.Type != SftpPacketType.Attrs)
        {
            ThrowUnexpected(response, "SSH_FXP_ATTRS");
        }

        try
        {
            var reader = response.Reader;
            return reader.ReadAttributes();
        }
        catch (SftpProtocolException e)
        {
            throw ProtocolError(e.Message);
        }
        finally
        {
            response.Release();
        }
    }

    private SftpHandle ParseHandle(in SftpResponse response)
    {
        if (response.Type != SftpPacketType.Handle)
        {
            ThrowUnexpected(response, "SSH_FXP_HANDLE");
        }

        try
        {
            var reader = response.Reader;
            return new SftpHandle(reader.ReadBytes().ToArray());
        }
        catch (SftpProtocolException e)
        {
            throw ProtocolError(e.Message);
        }
        finally
        {
            response.Release();
        }
    }

    private List<SftpName>? ParseNames(in SftpResponse response)
    {
        if (response.Type == SftpPacketType.Status)
        {
            var reader = response.Reader;
            var (code, _) = reader.ReadStatus();
            if (code == SftpStatusCode.Eof)
            {
                response.Release();
                return null;
            }

            ExpectStatus(response, SftpStatusCode.Eof);
        }

        if (response.Type != SftpPacketType.Name)
        {
            ThrowUnexpected(response, "SSH_FXP_NAME");
        }

        try
        {
            var reader = response.Reader;
            var count = reader.ReadUInt32();
            if (count > (uint)reader.Remaining)
            {
                throw new SftpProtocolException($"SSH_FXP_NAME claims {count} names in {reader.Remaining} bytes");
            }

            var names = new List<SftpName>((int)count);
            for (var i = 0u; i < count; i++)
            {
                var fileName = reader.ReadString();
                reader.ReadBytes(); // longname: ls -l style, format unspecified in v3
                names.Add(new SftpName(fileName, reader.ReadAttributes()));
            }

            return names;
        }
        catch (SftpProtocolException e)
        {
            throw ProtocolError(e.Message);
        }
        finally
        {
            response.Release();
        }
    }

    private SftpStatVfs ParseStatVfs(in SftpResponse response)
    {
        if (response.Type != SftpPacketType.ExtendedReply)
        {
            ThrowUnexpected(response, "SSH_FXP_EXTENDED_REPLY");
        }

        try
        {
            var r = response.Reader;
            return new SftpStatVfs(
                r.ReadUInt64(), r.ReadUInt64(), r.ReadUInt64(), r.ReadUInt64(), r.ReadUInt64(), r.ReadUInt64(),
                r.ReadUInt64(), r.ReadUInt64(), r.ReadUInt64(), r.ReadUInt64(), r.ReadUInt64());
        }
        catch (SftpProtocolException e)
        {
            throw ProtocolError(e.Message);
        }
        finally
        {
            response.Release();
        }
    }

    private SftpLimits ParseLimits(in SftpResponse response)
    {
        if (response.Type != SftpPacketType.ExtendedReply)
        {
            ThrowUnexpected(response, "SSH_FXP_EXTENDED_REPLY");
        }

        try
        {
            var r = response.Reader;
            return new SftpLimits(r.ReadUInt64(), r.ReadUInt64(), r.ReadUInt64(), r.ReadUInt64());
        }
        catch (SftpProtocolException e)
        {
            throw ProtocolError(e.Message);
        }
        finally
        {
            response.Release();
        }
    }

    /// <summary>A STATUS where something else was expected is an error reply; anything else breaks the protocol.</summary>
    private void ThrowUnexpected(in SftpResponse response, string expected)
    {
        if (response.Type == SftpPacketType.Status)
        {
            // ExpectStatus(Ok) throws for every error status; an OK here is itself a protocol violation.
            ExpectStatus(response, SftpStatusCode.Ok);
            throw ProtocolError($"expected {expected}, got SSH_FX_OK");
        }

        var type = response.Type;
        response.Release();
        throw ProtocolError($"expected {expected}, got packet type {(byte)type}");
    }
}
