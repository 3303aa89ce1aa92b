namespace VfsGateway.Backends.Sftp.Protocol;

/// <summary>The server broke the protocol (malformed or unexpected packet); the connection is unusable.</summary>
internal sealed class SftpProtocolException : Exception
{
    public SftpProtocolException()
    {
    }

    public SftpProtocolException(string message)
        : base(message)
    {
    }

    public SftpProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
