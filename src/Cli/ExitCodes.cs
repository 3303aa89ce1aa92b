namespace VfsGateway.Cli;

internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Runtime or startup error (missing file, bad remote, cannot listen).</summary>
    public const int Error = 1;

    /// <summary>The command line itself is wrong (unknown flag, missing argument, bad value).</summary>
    public const int Usage = 2;
}
