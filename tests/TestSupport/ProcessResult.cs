namespace VfsGateway.TestSupport;

/// <summary>The outcome of one finished external process.</summary>
internal sealed record ProcessResult(string Command, int ExitCode, string Stdout, string Stderr)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>Everything a failing assertion needs to show: the command, its exit code and both streams.</summary>
    public string Describe() =>
        $"`{Command}` exited with {ExitCode}{Environment.NewLine}--- stdout ---{Environment.NewLine}{Tail(Stdout)}{Environment.NewLine}--- stderr ---{Environment.NewLine}{Tail(Stderr)}";

    private static string Tail(string text) => text.Length <= 6000 ? text : "…" + text[^6000..];
}
