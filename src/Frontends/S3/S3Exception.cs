namespace VfsGateway.Frontends.S3;

/// <summary>An S3 protocol error to answer with; thrown from handlers and from body streams (so a put is abandoned).</summary>
internal sealed class S3Exception : Exception
{
    public S3Exception(S3Error error, string? message = null, Exception? innerException = null)
        : base(message ?? error.Message, innerException)
    {
        Error = error;
    }

    public S3Exception()
        : this(S3Error.InternalError)
    {
    }

    public S3Exception(string message)
        : this(S3Error.InternalError, message)
    {
    }

    public S3Exception(string message, Exception innerException)
        : this(S3Error.InternalError, message, innerException)
    {
    }

    public S3Error Error { get; }

    /// <summary>Extra elements for the error document (e.g. the part number of InvalidPart).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Details { get; init; } = [];
}
