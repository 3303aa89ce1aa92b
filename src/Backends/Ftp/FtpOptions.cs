using System.Globalization;
using System.Text;
using VfsGateway.Vfs;
using VfsGateway.Vfs.Registry;

namespace VfsGateway.Backends.Ftp;

/// <summary>
/// Options of the ftp backend (rclone's names), validated (<see cref="Validate"/>) before the first
/// connection. <see cref="ToString"/> never shows the password.
/// </summary>
public sealed partial record FtpOptions
{
    public const int DefaultConcurrency = 4;
    public const int DefaultIdleTimeoutSeconds = 60;

    public string Host { get; init; } = string.Empty;

    /// <summary>Login name; "anonymous" when unset.</summary>
    public string User { get; init; } = "anonymous";

    /// <summary>TCP port; null means 21, or 990 with implicit TLS.</summary>
    public int? Port { get; init; }

    /// <summary>The remote's root on the server: "" is the login directory, a path without a leading '/' is relative to it.</summary>
    public string Path { get; init; } = string.Empty;

    public string? Password { get; init; }

    /// <summary>Implicit FTPS: TLS from the first byte (port 990 by default).</summary>
    public bool ImplicitTls { get; init; }

    /// <summary>Explicit FTPS: AUTH TLS on the plain control connection, then PBSZ 0 / PROT P.</summary>
    public bool ExplicitTls { get; init; }

    /// <summary>Accept any server certificate (testing only).</summary>
    public bool NoCheckCertificate { get; init; }

    /// <summary>SHA-256 fingerprint of the server certificate (hex, colons allowed) that is accepted without a chain check.</summary>
    public string? TlsFingerprint { get; init; }

    /// <summary>The most connections opened to the server (each carries one transfer at a time).</summary>
    public int Concurrency { get; init; } = DefaultConcurrency;

    /// <summary>Idle pooled connections are closed after this long.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(DefaultIdleTimeoutSeconds);

    public bool DisableEpsv { get; init; }

    public bool DisableMlsd { get; init; }

    public bool DisableUtf8 { get; init; }

    public bool UsesTls => ImplicitTls || ExplicitTls;

    public int EffectivePort => Port ?? (ImplicitTls ? 990 : 21);

    /// <summary>user@host:port, for messages and logs.</summary>
    public string Destination
    {
        get
        {
            var host = Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host;
            return $"{User}@{host}:{EffectivePort.ToString(CultureInfo.InvariantCulture)}";
        }
    }

    /// <summary>
    /// Reads the options from a resolved remote. When the <c>host</c> option is set the remote's
    /// path part is only the root path; otherwise it is <c>[user@]host[:port][/path]</c> (the same
    /// syntax as sftp), whose user and port win over the options of the same name.
    /// </summary>
    public static FtpOptions FromConfig(BackendConfig config)
    {
        var host = config.Get("host");
        var user = config.Get("user");
        var port = HostRemote.ParsePort(config.Get("port"), "ftp");
        string path;
        if (string.IsNullOrEmpty(host))
        {
            var remote = HostRemote.Parse(config.Root, "ftp");
            host = remote.Host;
            user = remote.User ?? user;
            port = remote.Port ?? port;
            path = remote.Path;
        }
        else
        {
            path = HostRemote.NormalizeRootPath(config.Root);
        }

        var idle = config.Get("idle_timeout");
        var options = new FtpOptions
        {
            Host = host,
            User = string.IsNullOrEmpty(user) ? "anonymous" : user,
            Port = port,
            Path = path,
            Password = string.IsNullOrEmpty(config.Get("pass")) ? null : config.Get("pass"),
            ImplicitTls = config.GetBool("tls"),
            ExplicitTls = config.GetBool("explicit_tls"),
            NoCheckCertificate = config.GetBool("no_check_certificate"),
            TlsFingerprint = string.IsNullOrWhiteSpace(config.Get("tls_fingerprint")) ? null : config.Get("tls_fingerprint")!.Trim(),
            Concurrency = config.GetInt("concurrency", DefaultConcurrency),
            IdleTimeout = string.IsNullOrWhiteSpace(idle) ? TimeSpan.FromSeconds(DefaultIdleTimeoutSeconds) : ParseDuration(idle),
            DisableEpsv = config.GetBool("disable_epsv"),
            DisableMlsd = config.GetBool("disable_mlsd"),
            DisableUtf8 = config.GetBool("disable_utf8"),
        };
        options.Validate();
        return options;
    }

    /// <summary>Throws <see cref="VfsErrorKind.Invalid"/> naming the first bad option.</summary>
    public void Validate()
    {
        if (string.IsNullOrEmpty(Host))
        {
            throw Invalid("ftp needs a host: ftp:[user@]host[:port]/path, or set --ftp-host");
        }

        if (Port is { } port && port is < 1 or > 65535)
        {
            throw Invalid($"ftp port {port} is out of range 1-65535");
        }

        if (ImplicitTls && ExplicitTls)
        {
            throw Invalid("ftp options tls (implicit FTPS) and explicit_tls exclude each other");
        }

        if ((NoCheckCertificate || TlsFingerprint is not null) && !UsesTls)
        {
            throw Invalid("ftp no_check_certificate and tls_fingerprint need tls or explicit_tls");
        }

        if (TlsFingerprint is not null && NormalizedFingerprint is not { Length: 64 })
        {
            throw Invalid("ftp tls_fingerprint must be a SHA-256 fingerprint: 64 hex digits, colons allowed");
        }

        // Commands are lines: a CR or LF in an argument would inject another command.
        foreach (var (value, what) in new[] { (User, "user"), (Password ?? string.Empty, "pass"), (Path, "path") })
        {
            if (value.Any(c => c is '\r' or '\n' or '\0'))
            {
                throw Invalid($"ftp {what} contains a line break or NUL");
            }
        }

        if (Concurrency is < 1 or > 64)
        {
            throw Invalid($"ftp concurrency must be 1-64, not {Concurrency}");
        }

        if (IdleTimeout < TimeSpan.FromSeconds(1))
        {
            throw Invalid("ftp idle_timeout must be at least 1s");
        }
    }

    /// <summary>The pinned fingerprint as 64 upper-case hex digits, or null.</summary>
    internal string? NormalizedFingerprint =>
        TlsFingerprint is null ? null : new string([.. TlsFingerprint.Where(char.IsAsciiHexDigit).Select(char.ToUpperInvariant)]) is { Length: 64 } hex &&
            TlsFingerprint.All(c => char.IsAsciiHexDigit(c) || c is ':' or ' ') ? hex : string.Empty;

    /// <summary>"60", "60s", "2m", "1h", or a TimeSpan ("00:01:00").</summary>
    internal static TimeSpan ParseDuration(string text)
    {
        var s = text.Trim();
        var unit = s.Length > 0 && char.IsAsciiLetter(s[^1]) ? s[^1] : 's';
        var number = char.IsAsciiLetter(s[^1]) ? s[..^1] : s;
        if (double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value >= 0)
        {
            return unit switch
            {
                's' => TimeSpan.FromSeconds(value),
                'm' => TimeSpan.FromMinutes(value),
                'h' => TimeSpan.FromHours(value),
                _ => throw Invalid($"ftp idle_timeout '{text}' is not a duration (e.g. 60s, 2m)"),
            };
        }

        return TimeSpan.TryParse(s, CultureInfo.InvariantCulture, out var span)
            ? span
            : throw Invalid($"ftp idle_timeout '{text}' is not a duration (e.g. 60s, 2m)");
    }

#pragma warning disable IDE0051 // called by the record's synthesized ToString: it keeps the secrets out of logs
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append(CultureInfo.InvariantCulture, $"Destination = {Destination}, Path = {Path}, Password = {(Password is null ? "(none)" : "***")}, ");
        builder.Append(CultureInfo.InvariantCulture, $"Tls = {(ImplicitTls ? "implicit" : ExplicitTls ? "explicit" : "off")}, NoCheckCertificate = {NoCheckCertificate}, TlsFingerprint = {TlsFingerprint ?? "(none)"}, ");
        builder.Append(CultureInfo.InvariantCulture, $"Concurrency = {Concurrency}, IdleTimeout = {IdleTimeout}, DisableEpsv = {DisableEpsv}, DisableMlsd = {DisableMlsd}, DisableUtf8 = {DisableUtf8}");
        return true;
    }
#pragma warning restore IDE0051

    private static VfsException Invalid(string message) => new(VfsErrorKind.Invalid, message);
}
