namespace VfsGateway.Backends.Sftp;

/// <summary>
/// Hands a password to ssh without a terminal and without a command line: ssh runs the askpass
/// program (SSH_ASKPASS, forced by SSH_ASKPASS_REQUIRE=force) with the prompt as its argument
/// and reads the answer from its stdout. The program is the gateway binary itself in askpass
/// mode (when the CLI registered it via <see cref="GatewayExecutable"/>) or a tiny script that
/// holds no secret; either one reads the password from an environment variable that exists only
/// in the ssh child's environment (readable, like the process's memory, only by its own user and root).
/// Only password prompts are answered: host-key confirmations and key passphrases are refused,
/// so nothing ever waits.
/// </summary>
public static class SftpAskpass
{
    /// <summary>Set to "1" in the environment of an askpass invocation of the gateway binary.</summary>
    public const string ModeVariable = "GATEWAY_SSH_ASKPASS";

    /// <summary>The password, in the environment of ssh and its askpass child only.</summary>
    public const string PasswordVariable = "GATEWAY_SSH_ASKPASS_PASSWORD";

    private static readonly Lock ScriptLock = new();
    private static string? _script;

    /// <summary>
    /// The gateway executable, set by the CLI at startup once it handles askpass mode (see
    /// <see cref="IsInvocation"/>); null means "use a generated script".
    /// </summary>
    public static string? GatewayExecutable { get; set; }

    /// <summary>True when this process was started by ssh as its askpass program.</summary>
    public static bool IsInvocation() => Environment.GetEnvironmentVariable(ModeVariable) == "1";

    /// <summary>
    /// The askpass mode: prints the password for a password prompt and returns 0; returns 1 (ssh
    /// then gives up on that prompt) for any other prompt or when no password was handed over.
    /// </summary>
    /// <param name="args">The command-line arguments; ssh passes the prompt as the only one.</param>
    /// <param name="output">stdout, which ssh reads.</param>
    public static int Run(IReadOnlyList<string> args, TextWriter output)
    {
        var prompt = args.Count > 0 ? args[^1] : string.Empty;
        var password = Environment.GetEnvironmentVariable(PasswordVariable);
        if (password is null || !IsPasswordPrompt(prompt))
        {
            return 1;
        }

        output.Write(password);
        output.Write('\n');
        output.Flush();
        return 0;
    }

    /// <summary>ssh's prompts: "user@host's password: ", "(user@host) Password: " (keyboard-interactive).</summary>
    internal static bool IsPasswordPrompt(string prompt) => prompt.Contains("password", StringComparison.OrdinalIgnoreCase);

    /// <summary>The program ssh should run as SSH_ASKPASS.</summary>
    internal static string ProgramPath() => GatewayExecutable ?? ScriptPath();

    private static string ScriptPath()
    {
        lock (ScriptLock)
        {
            if (_script is not null && File.Exists(_script))
            {
                return _script;
            }

            // mkdtemp: a fresh 0700 directory nobody else can plant a file in.
            var dir = Directory.CreateTempSubdirectory("gateway-askpass-");
            var script = Path.Combine(dir.FullName, "askpass");
            File.WriteAllText(script, $$"""
                #!/bin/sh
                # gateway sftp askpass: answers ssh's password prompt from the environment, refuses anything else.
                case "$1" in
                  *assword*) printf '%s\n' "${{{PasswordVariable}}}" ;;
                  *) exit 1 ;;
                esac

                """);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserExecute);
            }
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                try
                {
                    dir.Delete(recursive: true);
                }
                catch (IOException)
                {
                    // Best effort at exit; the script holds no secret.
                }
            };

            return _script = script;
        }
    }
}
