namespace VfsGateway.Vfs.Registry;

/// <summary>
/// One option of a backend. Values come from (highest first): the connection string, the CLI flag
/// <c>--&lt;backend&gt;-&lt;name&gt;</c>, the env var <c>GATEWAY_&lt;BACKEND&gt;_&lt;NAME&gt;</c>, the config file, then
/// <see cref="Default"/>. Help text and docs are generated from this list.
/// </summary>
/// <param name="Name">snake_case name as used in config files (e.g. <c>key_file</c>); the flag uses dashes.</param>
/// <param name="Help">One line for --help and docs.</param>
/// <param name="Default">The value when nothing sets it; null means unset.</param>
/// <param name="IsSecret">Never printed or logged (passwords, keys).</param>
/// <param name="IsRequired">The factory fails with a clear message when it is unset.</param>
public sealed record BackendOption(string Name, string Help, string? Default = null, bool IsSecret = false, bool IsRequired = false)
{
    /// <summary>The CLI flag for this option of <paramref name="backend"/>: <c>--sftp-key-file</c>.</summary>
    public string FlagName(string backend) => $"--{backend}-{Name.Replace('_', '-')}";

    /// <summary>The env var for this option of <paramref name="backend"/>: <c>GATEWAY_SFTP_KEY_FILE</c>.</summary>
    public string EnvName(string backend) =>
        $"GATEWAY_{backend.ToUpperInvariant()}_{Name.Replace('-', '_').ToUpperInvariant()}";
}
