namespace VfsGateway.Backends.Ftp.Protocol;

/// <summary>The server answered a command with a reply the caller did not expect (usually 4yz or 5yz).</summary>
internal sealed class FtpReplyException : Exception
{
    public FtpReplyException(string command, FtpReply reply)
        : base($"{command}: {reply}")
    {
        Command = command;
        Reply = reply;
    }

    public FtpReplyException()
    {
        Command = string.Empty;
        Reply = new FtpReply(0, []);
    }

    public FtpReplyException(string message)
        : base(message)
    {
        Command = string.Empty;
        Reply = new FtpReply(0, []);
    }

    public FtpReplyException(string message, Exception innerException)
        : base(message, innerException)
    {
        Command = string.Empty;
        Reply = new FtpReply(0, []);
    }

    /// <summary>The command verb (never its argument for PASS).</summary>
    public string Command { get; }

    public FtpReply Reply { get; }

    /// <summary>The reply ended a transfer that had started (data may have reached the server), rather than refusing the command.</summary>
    public bool AfterTransfer { get; init; }

    public int Code => Reply.Code;
}
