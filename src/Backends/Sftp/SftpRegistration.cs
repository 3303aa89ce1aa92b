using Microsoft.Extensions.Logging;
using VfsGateway.Vfs;
using VfsGateway.Vfs.Registry;

namespace VfsGateway.Backends.Sftp;

/// <summary>Registers the "sftp" backend type: <c>sftp:[user@]host[:port]/path</c> or a named remote with <c>type = sftp</c>.</summary>
public static class SftpRegistration
{
    public const string Name = "sftp";

    public static IReadOnlyList<BackendOption> Options { get; } =
    [
        new("host", "SSH server host name or address (else taken from the remote: sftp:[user@]host[:port]/path)."),
        new("user", "Login name (default: ssh's choice, i.e. ssh_config or the local user)."),
        new("port", "SSH port (default: ssh's choice, i.e. ssh_config or 22)."),
        new("key_file", "Private key file for public-key authentication (ssh -i, IdentitiesOnly)."),
        new("known_hosts_file", "known_hosts file to check the server's host key against (default: the user's ~/.ssh/known_hosts). Host keys are always checked."),
        new("password", "Password for password authentication, passed to ssh through askpass (never on a command line).", IsSecret: true),
        new("ssh", "A full ssh command line that names the host, used instead of the built-in one (e.g. \"ssh -F ~/.ssh/config nas\"); '-s sftp' is appended."),
        new("ssh_options", "Extra ssh -o options, space-separated, quoted like a shell (e.g. \"Ciphers=aes128-gcm@openssh.com\" \"ProxyJump=bastion\")."),
        new("connections", "Most ssh connections kept open to the server.", SftpOptions.DefaultConnections.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("concurrency", "READ/WRITE requests in flight per transfer.", SftpOptions.DefaultConcurrency.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("chunk_size", "Bytes per READ/WRITE request (default: the server's announced limit, 255 KiB on OpenSSH, else 32k; never above the server's limit)."),
    ];

    public static BackendRegistration Registration { get; } = Create(null);

    /// <summary>A registration that logs through <paramref name="loggerFactory"/> (null: the config's <see cref="BackendConfig.LoggerFactory"/>).</summary>
    public static BackendRegistration Create(ILoggerFactory? loggerFactory) => new(
        Name,
        "Files on an SSH server over SFTP, through the OpenSSH client (keys, password via askpass, known_hosts checked).",
        Options,
        async (config, cancellationToken) =>
        {
            var options = SftpOptions.FromConfig(config);
            var logger = (loggerFactory ?? config.LoggerFactory).CreateLogger("VfsGateway.Backends.Sftp");
            IBackend backend = await SftpBackend.CreateAsync(options, logger, cancellationToken).ConfigureAwait(false);
            return backend;
        });
}
