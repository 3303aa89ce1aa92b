using VfsGateway.Backends;
using VfsGateway.Vfs.Registry;

namespace VfsGateway.Cli;

/// <summary>
/// Everything the commands take from the process: streams, environment variables, the backend
/// registry and the terminal. Tests build one with writers and a dictionary instead of mutating
/// the real process.
/// </summary>
internal sealed record CliEnvironment
{
    public required TextWriter Out { get; init; }

    public required TextWriter Error { get; init; }

    public required TextReader In { get; init; }

    /// <summary>Environment variable lookup.</summary>
    public required Func<string, string?> GetEnvironmentVariable { get; init; }

    public required BackendRegistry Registry { get; init; }

    /// <summary>True when stdin is a terminal (passwords are then prompted for without echo).</summary>
    public bool IsInteractive { get; init; }

    /// <summary>True when stderr is a terminal (copy and sync then show a live progress display).</summary>
    public bool IsErrorTerminal { get; init; }

    /// <summary>Opens stdout for bytes (gateway cat); null when only <see cref="Out"/> is available, which then gets the bytes as UTF-8 text.</summary>
    public Func<Stream>? OpenStandardOutput { get; init; }

    /// <summary>Reads one line from the terminal without echoing it; null at end of input.</summary>
    public Func<string?> ReadSecretLine { get; init; } = () => null;

    /// <summary>Adds bits to the process umask (serve restic: rest-server's file modes); tests that run commands in-process leave the test process's umask alone.</summary>
    public Action<int> RestrictUmask { get; init; } = bits => Commands.ProcessUmask.Restrict(bits);

    /// <summary>
    /// Lets socket completions run on the socket event threads (DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1,
    /// read once per process when the first socket is used) unless the variable is set already; see
    /// GatewayHostSettings.InlineSocketIo. A no-op by default: tests that run commands in-process
    /// leave the test process's sockets alone.
    /// </summary>
    public Action EnableInlineSocketCompletions { get; init; } = () => { };

    /// <summary>The real process, with every built-in backend.</summary>
    public static CliEnvironment System() => new()
    {
        Out = Console.Out,
        Error = Console.Error,
        In = Console.In,
        GetEnvironmentVariable = Environment.GetEnvironmentVariable,
        Registry = BuiltinBackends.CreateRegistry(),
        IsInteractive = !Console.IsInputRedirected,
        IsErrorTerminal = !Console.IsErrorRedirected,
        OpenStandardOutput = Console.OpenStandardOutput,
        ReadSecretLine = TerminalSecret.ReadLine,
        EnableInlineSocketCompletions = () =>
        {
            if (Environment.GetEnvironmentVariable(InlineCompletionsVariable) is null)
            {
                Environment.SetEnvironmentVariable(InlineCompletionsVariable, "1");
            }
        },
    };

    private const string InlineCompletionsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
}
