namespace VfsGateway.Backends.Sftp.Protocol;

/// <summary>The server answered a request with a non-OK SSH_FXP_STATUS; SftpErrors maps it to a VfsErrorKind.</summary>
internal sealed class SftpStatusException : Exception
{
    public SftpStatusException(SftpStatusCode code, string serverMessage)
        : base(string.IsNullOrEmpty(serverMessage) ? code.ToString() : $"{code}: {serverMessage}")
    {
        Code = code;
        ServerMessage = serverMessage;
    }

    public SftpStatusException()
        : this(SftpStatusCode.Failure, string.Empty)
    {
    }

    public SftpStatusException(string message)
        : this(SftpStatusCode.Failure, message)
    {
    }

    public SftpStatusException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = SftpStatusCode.Failure;
        ServerMessage = message;
    }

    public SftpStatusCode Code { get; }

    public string ServerMessage { get; }
}
