using System.Globalization;
using System.Text;
using VfsGateway.Vfs;
using VfsGateway.Vfs.Registry;

namespace VfsGateway.Backends.Sftp;

/// <summary>
/// Options of the sftp backend, validated (<see cref="Validate"/>) before ssh is started.
/// <see cref="ToString"/> never shows the password.
/// </summary>
public sealed partial record SftpOptions
{
    public const int DefaultConnections = 4;
    public const int DefaultConcurrency = 64;
    /// <summary>The request size every server must accept, used when the server announces no limits.</summary>
    public const int DefaultChunkSize = 32 * 1024;

    /// <summary>The largest request size chosen automatically (OpenSSH announces 255 KiB).</summary>
    public const int MaxAutoChunkSize = 256 * 1024;

    /// <summary>Host name or address (an IPv6 literal without brackets).</summary>
    public string Host { get; init; } = string.Empty;

    /// <summary>Login name; null leaves it to ssh (ssh_config, then the local user).</summary>
    public string? User { get; init; }

    /// <summary>TCP port; null leaves it to ssh (ssh_config, then 22).</summary>
    public int? Port { get; init; }

    /// <summary>The remote's root on the server: "" is the login directory, a path without a leading '/' is relative to it.</summary>
    public string Path { get; init; } = string.Empty;

    /// <summary>Private key for public-key authentication (ssh -i, with IdentitiesOnly).</summary>
    public string? KeyFile { get; init; }

    /// <summary>known_hosts file to check the server's key against instead of the user's.</summary>
    public string? KnownHostsFile { get; init; }

    /// <summary>Password for password or keyboard-interactive authentication, handed to ssh through askpass.</summary>
    public string? Password { get; init; }

    /// <summary>A complete ssh command line naming the host (rclone's --sftp-ssh); "-s sftp" is appended.</summary>
    public string? SshCommand { get; init; }

    /// <summary>Extra ssh -o options ("Key=Value"), placed first so that they override the backend's defaults.</summary>
    public IReadOnlyList<string> SshOptions { get; init; } = [];

    /// <summary>How many ssh connections the pool may open.</summary>
    public int Connections { get; init; } = DefaultConnections;

    /// <summary>How many READ/WRITE requests one transfer keeps in flight.</summary>
    public int Concurrency { get; init; } = DefaultConcurrency;

    /// <summary>
    /// Bytes per READ/WRITE request, always capped by the server's limits@openssh.com figures;
    /// null means "automatic": the server's own limit (at most <see cref="MaxAutoChunkSize"/>),
    /// or <see cref="DefaultChunkSize"/> when it announces none, as OpenSSH's sftp client does.
    /// </summary>
    public int? ChunkSize { get; init; }

    /// <summary>user@host[:port] (or the custom ssh command), for messages and logs.</summary>
    public string Destination
    {
        get
        {
            if (Host.Length == 0 && SshCommand is not null)
            {
                // Not the whole command: it might carry a secret (sshpass -p ...). Its last word names the host.
                var words = SplitWords(SshCommand);
                return words.Count == 0 ? "(custom ssh)" : $"{words[^1]} (via {System.IO.Path.GetFileName(words[0])})";
            }

            var host = Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host;
            var text = User is null ? host : $"{User}@{host}";
            return Port is { } p ? $"{text}:{p}" : text;
        }
    }

    /// <summary>
    /// Reads the options from a resolved remote. When the <c>host</c> or <c>ssh</c> option is set
    /// the remote's path part is only the root path; otherwise it is <c>[user@]host[:port][/path]</c>,
    /// whose user and port win over the options of the same name.
    /// </summary>
    public static SftpOptions FromConfig(BackendConfig config)
    {
        var host = config.Get("host");
        var sshCommand = NullIfEmpty(config.Get("ssh"));
        string? user = config.Get("user");
        int? port = ParsePort(config.Get("port"));
        string path;
        if (string.IsNullOrEmpty(host) && sshCommand is null)
        {
            var remote = ParseRemote(config.Root);
            host = remote.Host;
            user = remote.User ?? user;
            port = remote.Port ?? port;
            path = remote.Path;
        }
        else
        {
            path = NormalizeRootPath(config.Root);
        }

        var options = new SftpOptions
        {
            Host = host ?? string.Empty,
            User = string.IsNullOrEmpty(user) ? null : user,
            Port = port,
            Path = path,
            KeyFile = ExpandHome(NullIfEmpty(config.Get("key_file"))),
            KnownHostsFile = ExpandHome(NullIfEmpty(config.Get("known_hosts_file"))),
            Password = NullIfEmpty(config.Get("password")),
            SshCommand = sshCommand,
            SshOptions = SplitWords(config.Get("ssh_options") ?? string.Empty),
            Connections = config.GetInt("connections", DefaultConnections),
            Concurrency = config.GetInt("concurrency", DefaultConcurrency),
            ChunkSize = string.IsNullOrWhiteSpace(config.Get("chunk_size")) ? null : ParseSize(config.Get("chunk_size"), "chunk_size", DefaultChunkSize),
        };
        options.Validate();
        return options;
    }

    /// <summary>Throws <see cref="VfsErrorKind.Invalid"/> naming the first bad option.</summary>
    public void Validate()
    {
        if (SshCommand is null)
        {
            if (string.IsNullOrEmpty(Host))
            {
                throw Invalid("sftp needs a host: sftp:[user@]host[:port]/path, or set --sftp-host");
            }

            // ssh reads an argument starting with '-' as an option: never let a host or user name become one.
            CheckWord(Host, "host");
        }
        else if (SplitWords(SshCommand).Count == 0)
        {
            throw Invalid("option 'ssh' is empty");
        }

        if (User is not null)
        {
            CheckWord(User, "user");
        }

        if (Port is { } port && port is < 1 or > 65535)
        {
            throw Invalid($"sftp port {port} is out of range 1-65535");
        }

        if (KeyFile is not null && !File.Exists(KeyFile))
        {
            throw Invalid($"sftp key_file '{KeyFile}' does not exist");
        }

        if (KnownHostsFile is not null && !File.Exists(KnownHostsFile))
        {
            throw Invalid($"sftp known_hosts_file '{KnownHostsFile}' does not exist");
        }

        foreach (var option in SshOptions)
        {
            if (!option.Contains('=', StringComparison.Ordinal) && !option.Contains(' ', StringComparison.Ordinal))
            {
                throw Invalid($"sftp ssh_options entry '{option}' is not of the form Key=Value");
            }
        }

        if (Connections is < 1 or > 64)
        {
            throw Invalid($"sftp connections must be 1-64, not {Connections}");
        }

        if (Concurrency is < 1 or > 1024)
        {
            throw Invalid($"sftp concurrency must be 1-1024, not {Concurrency}");
        }

        if (ChunkSize is < 1024 or > 1024 * 1024)
        {
            throw Invalid($"sftp chunk_size must be 1 KiB-1 MiB, not {ChunkSize}");
        }

        if (Path.Contains('\0', StringComparison.Ordinal))
        {
            throw Invalid("sftp path contains NUL");
        }
    }

#pragma warning disable IDE0051 // called by the record's synthesized ToString: it keeps the secrets out of logs
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append(CultureInfo.InvariantCulture, $"Destination = {Destination}, Path = {Path}, KeyFile = {KeyFile}, KnownHostsFile = {KnownHostsFile}, ");
        builder.Append(CultureInfo.InvariantCulture, $"Password = {(Password is null ? "(none)" : "***")}, SshCommand = {(SshCommand is null ? "(none)" : "(set)")}, ");
        builder.Append(CultureInfo.InvariantCulture, $"Connections = {Connections}, Concurrency = {Concurrency}, ChunkSize = {(ChunkSize is { } c ? c.ToString(CultureInfo.InvariantCulture) : "auto")}");
        return true;
    }
#pragma warning restore IDE0051

    private static void CheckWord(string value, string what)
    {
        if (value.StartsWith('-') || value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw Invalid($"sftp {what} '{value}' is not valid (no leading '-', no spaces or control characters)");
        }
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>"~/x" in a file option means the user's home, as it does for ssh itself.</summary>
    private static string? ExpandHome(string? path) =>
        path is not null && path.StartsWith("~/", StringComparison.Ordinal)
            ? System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path[2..])
            : path;

    private static VfsException Invalid(string message) => new(VfsErrorKind.Invalid, message);
}
