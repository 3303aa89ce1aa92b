namespace VfsGateway.Backends.Ftp.Protocol;

/// <summary>One complete server reply (RFC 959 §4.2): a three-digit code and its text lines.</summary>
/// <param name="Code">100-599.</param>
/// <param name="Lines">The text of every line without the code prefix; a single-line reply has one.</param>
internal sealed record FtpReply(int Code, IReadOnlyList<string> Lines)
{
    /// <summary>The text of the first line (what a one-line reply says).</summary>
    public string Message => Lines.Count == 0 ? string.Empty : Lines[0];

    /// <summary>1yz: the command started; another reply follows.</summary>
    public bool IsPreliminary => Code is >= 100 and < 200;

    public bool IsSuccess => Code is >= 200 and < 300;

    public bool IsIntermediate => Code is >= 300 and < 400;

    /// <summary>4yz: the command failed but may work if repeated (RFC 959 "transient negative").</summary>
    public bool IsTransientFailure => Code is >= 400 and < 500;

    public override string ToString() => $"{Code} {string.Join(" / ", Lines)}".TrimEnd();
}
