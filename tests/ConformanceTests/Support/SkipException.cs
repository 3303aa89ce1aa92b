namespace VfsGateway.ConformanceTests.Support;

/// <summary>
/// Thrown by a conformance test whose feature the backend does not have; a
/// <see cref="ConformanceFactAttribute"/> test reports it as skipped, never as passed.
/// </summary>
public sealed class SkipException : Exception
{
    public SkipException()
    {
    }

    public SkipException(string reason)
        : base(reason)
    {
    }

    public SkipException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
