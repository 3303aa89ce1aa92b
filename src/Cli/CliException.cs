namespace VfsGateway.Cli;

/// <summary>
/// An expected failure with a message a person can act on: printed as one line on stderr, no stack
/// trace. <see cref="ExitCode"/> is 1 for runtime errors and 2 for usage errors.
/// </summary>
internal sealed class CliException : Exception
{
    public CliException()
    {
    }

    public CliException(string message)
        : base(message)
    {
    }

    public CliException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CliException(string message, int exitCode)
        : base(message) => ExitCode = exitCode;

    public int ExitCode { get; } = ExitCodes.Error;

    public static CliException Usage(string message) => new(message, ExitCodes.Usage);
}
