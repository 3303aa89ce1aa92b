using System.Globalization;
using Microsoft.Extensions.Logging;
using VfsGateway.Vfs;
using VfsGateway.Vfs.Registry;

namespace VfsGateway.Backends.Ftp;

/// <summary>Registers the "ftp" backend type: <c>ftp:[user@]host[:port]/path</c> or a named remote with <c>type = ftp</c>.</summary>
public static class FtpRegistration
{
    public const string Name = "ftp";

    public static IReadOnlyList<BackendOption> Options { get; } =
    [
        new("host", "FTP server host name or address (else taken from the remote: ftp:[user@]host[:port]/path)."),
        new("user", "Login name.", "anonymous"),
        new("port", "FTP port (default 21, or 990 with tls)."),
        new("pass", "Password.", IsSecret: true),
        new("tls", "Implicit FTPS: TLS from the first byte (usually port 990).", "false"),
        new("explicit_tls", "Explicit FTPS: AUTH TLS on the plain port, then PBSZ 0 / PROT P so data connections are encrypted too.", "false"),
        new("no_check_certificate", "Accept any server certificate (testing only; prefer tls_fingerprint).", "false"),
        new("tls_fingerprint", "SHA-256 fingerprint of the server certificate to accept without a CA chain (hex, colons allowed)."),
        new("concurrency", "Most FTP connections open at once (each carries one transfer).", FtpOptions.DefaultConcurrency.ToString(CultureInfo.InvariantCulture)),
        new("idle_timeout", "Close pooled connections idle this long (kept alive with NOOP until then), e.g. 60s, 5m.", "60s"),
        new("disable_epsv", "Use PASV only, never EPSV.", "false"),
        new("disable_mlsd", "Never use MLSD/MLST even when offered: parse LIST instead.", "false"),
        new("disable_utf8", "Do not send OPTS UTF8 ON even when offered.", "false"),
    ];

    public static BackendRegistration Registration { get; } = Create(null);

    /// <summary>A registration that logs through <paramref name="loggerFactory"/> (null: the config's <see cref="BackendConfig.LoggerFactory"/>).</summary>
    public static BackendRegistration Create(ILoggerFactory? loggerFactory) => new(
        Name,
        "Files on an FTP or FTPS server (explicit or implicit TLS, passive mode, MLSD or LIST).",
        Options,
        async (config, cancellationToken) =>
        {
            var options = FtpOptions.FromConfig(config);
            var logger = (loggerFactory ?? config.LoggerFactory).CreateLogger("VfsGateway.Backends.Ftp");
            IBackend backend = await FtpBackend.CreateAsync(options, logger, cancellationToken).ConfigureAwait(false);
            return backend;
        });
}
