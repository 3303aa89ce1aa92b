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

    private SftpAttributes ParseAttributes(in SftpResponse response) =>
        Parse(response, SftpPacketType.Attrs, "SSH_FXP_ATTRS", static (ref SftpPacketReader r) => r.ReadAttributes());

    private SftpHandle ParseHandle(in SftpResponse response) =>
        Parse(response, SftpPacketType.Handle, "SSH_FXP_HANDLE", static (ref SftpPacketReader r) => new SftpHandle(r.ReadBytes().ToArray()));

    /// <summary>The names of a READDIR or REALPATH reply; null for a STATUS of EOF (end of directory).</summary>
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

        return Parse(response, SftpPacketType.Name, "SSH_FXP_NAME", static (ref SftpPacketReader r) =>
        {
            var count = r.ReadUInt32();
            if (count > (uint)r.Remaining)
            {
                throw new SftpProtocolException($"SSH_FXP_NAME claims {count} names in {r.Remaining} bytes");
            }

            var names = new List<SftpName>((int)count);
            for (var i = 0u; i < count; i++)
            {
                var fileName = r.ReadString();
                r.ReadBytes(); // longname: ls -l style, format unspecified in v3
                names.Add(new SftpName(fileName, r.ReadAttributes()));
            }

            return names;
        });
    }

    private SftpStatVfs ParseStatVfs(in SftpResponse response) =>
        Parse(response, SftpPacketType.ExtendedReply, "SSH_FXP_EXTENDED_REPLY", static (ref SftpPacketReader r) => new SftpStatVfs(
            r.ReadUInt64(), r.ReadUInt64(), r.ReadUInt64(), r.ReadUInt64(), r.ReadUInt64(), r.ReadUInt64(),
            r.ReadUInt64(), r.ReadUInt64(), r.ReadUInt64(), r.ReadUInt64(), r.ReadUInt64()));

    private SftpLimits ParseLimits(in SftpResponse response) =>
        Parse(response, SftpPacketType.ExtendedReply, "SSH_FXP_EXTENDED_REPLY", static (ref SftpPacketReader r) =>
            new SftpLimits(r.ReadUInt64(), r.ReadUInt64(), r.ReadUInt64(), r.ReadUInt64()));

    /// <summary>
    /// The one skeleton of every reply parser: a STATUS (or another type) where <paramref name="type"/>
    /// was expected throws; a malformed body kills the session as a protocol error; the reply's
    /// buffer is released in every case.
    /// </summary>
    private T Parse<T>(in SftpResponse response, SftpPacketType type, string name, ReadBody<T> read)
    {
        if (response.Type != type)
        {
            ThrowUnexpected(response, name);
        }

        try
        {
            var reader = response.Reader;
            return read(ref reader);
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

    private delegate T ReadBody<out T>(ref SftpPacketReader reader);
}
