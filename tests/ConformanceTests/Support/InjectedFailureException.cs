namespace VfsGateway.ConformanceTests.Support;

/// <summary>Thrown by test content streams; a put must let it propagate unchanged.</summary>
public sealed class InjectedFailureException : Exception
{
    public InjectedFailureException()
    {
    }

    public InjectedFailureException(string message)
        : base(message)
    {
    }

    public InjectedFailureException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
