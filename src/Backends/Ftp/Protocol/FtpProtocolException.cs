namespace VfsGateway.Backends.Ftp.Protocol;

/// <summary>The control or data connection failed or the server spoke outside the protocol; the connection is discarded.</summary>
internal sealed class FtpProtocolException : Exception
{
    public FtpProtocolException(string message)
        : base(message)
    {
    }

    public FtpProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public FtpProtocolException()
    {
    }
}
