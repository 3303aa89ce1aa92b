using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace VfsGateway.TestSupport;

/// <summary>Which FTP server a test starts.</summary>
internal enum FtpServerKind
{
    /// <summary>vsftpd 3 (apt): no MLSD, so the client parses LIST; FTPS requires TLS session reuse.</summary>
    Vsftpd,

    /// <summary>pure-ftpd 1.0.50 (unpacked by test.sh into /usr/local/lib/vfsgateway-test/pure-ftpd): MLSD/MLST.</summary>
    PureFtpd,
}

/// <summary>How the server speaks TLS.</summary>
internal enum FtpServerTls
{
    None,

    /// <summary>AUTH TLS required for login and data (FTPES).</summary>
    Explicit,

    /// <summary>TLS from the first byte (vsftpd only).</summary>
    Implicit,
}

/// <summary>
/// A private vsftpd or pure-ftpd on 127.0.0.1, a free control port and a free passive range
/// (TEST-INFRA.md), in foreground, stopped by PID. Both refuse root logins, so the local user
/// <see cref="User"/> (created when missing, random password per test process) logs in and
/// owns <see cref="DataDirectory"/>; remotes use that absolute path. With TLS the server has a
/// fresh self-signed certificate whose SHA-256 fingerprint is <see cref="Fingerprint"/>.
/// Each test project passes its own <see cref="User"/> so the two test processes never reset each
/// other's password. A missing server fails, never skips.
/// </summary>
internal sealed class FtpServer : IAsyncDisposable
{
    public const string PureFtpdBinary = "/usr/local/lib/vfsgateway-test/pure-ftpd/usr/sbin/pure-ftpd";
    private const string VsftpdBinary = "/usr/sbin/vsftpd";
    private const int PassivePorts = 20;
    private static readonly SemaphoreSlim SetupLock = new(1, 1);
    private static readonly Dictionary<string, string> Passwords = new(StringComparer.Ordinal);

    private readonly FtpServerKind _kind;
    private readonly FtpServerTls _tls;
    private readonly int _passiveStart;
    private ServerProcess? _process;

    private FtpServer(FtpServerKind kind, FtpServerTls tls, string directory, int port, int passiveStart, string user, string password)
    {
        User = user;
        Password = password;
        _kind = kind;
        _tls = tls;
        Directory = directory;
        Port = port;
        _passiveStart = passiveStart;
    }

    public string Directory { get; }

    public int Port { get; }

    public FtpServerTls Tls => _tls;

    public FtpServerKind Kind => _kind;

    /// <summary>Owned by <see cref="User"/>; the absolute path that remotes use as their root.</summary>
    public string DataDirectory => Path.Combine(Directory, "data");

    /// <summary>The local user that logs in (one name per test project).</summary>
    public string User { get; }

    /// <summary>The password of <see cref="User"/> (random per test process).</summary>
    public string Password { get; }

    /// <summary>SHA-256 of the server certificate (hex), for tls_fingerprint.</summary>
    public string Fingerprint { get; private set; } = string.Empty;

    public string Log => _process?.Log ?? string.Empty;

    public bool IsRunning => _process is { HasExited: false };

    public static async Task<FtpServer> StartAsync(FtpServerKind kind, FtpServerTls tls, string user)
    {
        if (kind == FtpServerKind.PureFtpd && tls == FtpServerTls.Implicit)
        {
            throw new ArgumentException("pure-ftpd has no implicit TLS", nameof(tls));
        }

        var password = await EnsureUserAsync(user);
        var directory = System.IO.Directory.CreateTempSubdirectory("vfsgw-ftp-").FullName;

        // The server reads the data as the logged-in user: the fixture directory must be traversable.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
            UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        var data = System.IO.Directory.CreateDirectory(Path.Combine(directory, "data")).FullName;
        await SshdServer.MustAsync("chown", $"{user}:", data);
        var server = new FtpServer(kind, tls, directory, LoopbackPorts.Free(), LoopbackPorts.FreeRange(PassivePorts), user, password);
        try
        {
            if (tls != FtpServerTls.None)
            {
                server.WriteCertificate();
            }

            await server.StartProcessAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>SIGKILL, as a crash would.</summary>
    public async Task KillAsync()
    {
        if (_process is not null)
        {
            await _process.KillAsync();
            await _process.DisposeAsync();
            _process = null;
        }
    }

    /// <summary>Starts the server again on the same ports with the same settings (after <see cref="KillAsync"/>).</summary>
    public Task RestartAsync() => StartProcessAsync();

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    private async Task StartProcessAsync()
    {
        if (_kind == FtpServerKind.Vsftpd)
        {
            System.IO.Directory.CreateDirectory("/run/vsftpd/empty");
            var conf = Path.Combine(Directory, "vsftpd.conf");
            await File.WriteAllTextAsync(conf, VsftpdConfig());
            _process = await ServerProcess.StartAsync(VsftpdBinary, [conf], Port);
        }
        else
        {
            List<string> args =
            [
                "--bind", $"127.0.0.1,{Port.ToString(CultureInfo.InvariantCulture)}",
                "--passiveportrange", $"{_passiveStart.ToString(CultureInfo.InvariantCulture)}:{(_passiveStart + PassivePorts - 1).ToString(CultureInfo.InvariantCulture)}",
                "--forcepassiveip", "127.0.0.1", "--login", "unix", "--noanonymous", "--dontresolve", "--ipv4only",
                "--maxclientsperip", "50", "--maxclientsnumber", "50",
            ];
            if (_tls == FtpServerTls.Explicit)
            {
                // --tls 3: TLS required for the login and for every data connection.
                args.AddRange(["--tls", "3", "--certfile", Path.Combine(Directory, "cert.pem")]);
            }

            _process = await ServerProcess.StartAsync(PureFtpdBinary, args, Port);
        }
    }

    private string VsftpdConfig()
    {
        var config = new StringBuilder($"""
            listen=YES
            listen_ipv6=NO
            listen_address=127.0.0.1
            listen_port={Port}
            background=NO
            anonymous_enable=NO
            local_enable=YES
            write_enable=YES
            local_umask=022
            pasv_enable=YES
            pasv_address=127.0.0.1
            pasv_min_port={_passiveStart}
            pasv_max_port={_passiveStart + PassivePorts - 1}
            seccomp_sandbox=NO
            secure_chroot_dir=/run/vsftpd/empty
            pam_service_name=vsftpd
            utf8_filesystem=YES
            max_per_ip=50
            vsftpd_log_file={Path.Combine(Directory, "vsftpd.log")}

            """);
        if (_tls != FtpServerTls.None)
        {
            // require_ssl_reuse is vsftpd's default; kept explicit because the client must resume sessions.
            config.Append(CultureInfo.InvariantCulture, $"""
                ssl_enable=YES
                ssl_tlsv1=YES
                ssl_ciphers=HIGH
                require_ssl_reuse=YES
                force_local_logins_ssl=YES
                force_local_data_ssl=YES
                rsa_cert_file={Path.Combine(Directory, "cert.pem")}
                rsa_private_key_file={Path.Combine(Directory, "cert.pem")}
                implicit_ssl={(_tls == FtpServerTls.Implicit ? "YES" : "NO")}

                """);
        }

        return config.ToString();
    }

    private void WriteCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(2));
        Fingerprint = Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256));
        var pem = key.ExportPkcs8PrivateKeyPem() + "\n" + certificate.ExportCertificatePem() + "\n";
        var path = Path.Combine(Directory, "cert.pem");
        File.WriteAllText(path, pem);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private static async Task<string> EnsureUserAsync(string user)
    {
        await SetupLock.WaitAsync();
        try
        {
            if (Passwords.TryGetValue(user, out var known))
            {
                return known;
            }

            // A real shell (vsftpd's PAM stack, pam_shells, refuses users without one) and a real
            // home: both servers change into it at login, even when remotes use absolute paths.
            var home = "/home/" + user;
            if ((await SshdServer.RunAsync("id", [user])).ExitCode != 0)
            {
                await SshdServer.MustAsync("useradd", "-M", "-d", home, "-s", "/bin/bash", user);
            }

            await SshdServer.MustAsync("usermod", "-d", home, "-s", "/bin/bash", user);
            System.IO.Directory.CreateDirectory(home);
            await SshdServer.MustAsync("chown", $"{user}:", home);

            var password = "pw-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(9));
            var chpasswd = await SshdServer.RunAsync("chpasswd", [], standardInput: $"{user}:{password}\n");
            if (chpasswd.ExitCode != 0)
            {
                throw new InvalidOperationException($"chpasswd could not set the password of {user}: {chpasswd.Stderr}");
            }

            Passwords[user] = password;
            return password;
        }
        finally
        {
            SetupLock.Release();
        }
    }
}
