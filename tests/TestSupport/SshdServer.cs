using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace VfsGateway.TestSupport;

/// <summary>
/// A private OpenSSH sshd on 127.0.0.1 and a free port (TEST-INFRA.md), with its own host key,
/// authorized_keys, client key and known_hosts in a temp directory. Root logs in by key; the local
/// user <see cref="PasswordUser"/> (created when missing) by password. internal-sftp starts every
/// user in D/home/USER, so relative remote paths land inside the fixture directory.
/// Used by both the conformance and the integration tests; each passes its own password user so that
/// the two test processes never reset each other's password. A missing sshd fails the test with the
/// packages to install; it never skips.
/// </summary>
internal sealed class SshdServer : IAsyncDisposable
{
    private const string Sshd = "/usr/sbin/sshd";
    private const string SshKeygen = "/usr/bin/ssh-keygen";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(1);
    private static readonly SemaphoreSlim SetupLock = new(1, 1);
    private static readonly Dictionary<string, string> Passwords = new(StringComparer.Ordinal);

    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private SshdServer(string directory, int port, Process process, string passwordUser, string password)
    {
        Directory = directory;
        Port = port;
        _process = process;
        PasswordUser = passwordUser;
        Password = password;
    }

    /// <summary>The fixture directory (removed on dispose).</summary>
    public string Directory { get; }

    public int Port { get; }

    public string ClientKey => Path.Combine(Directory, "client_ed25519");

    /// <summary>A known_hosts file that holds this server's real host key.</summary>
    public string KnownHosts => Path.Combine(Directory, "known_hosts");

    /// <summary>Where root's remotes live (an absolute path, owned by root).</summary>
    public string DataDirectory => Path.Combine(Directory, "data");

    /// <summary>The login (and start) directory of <see cref="PasswordUser"/>, owned by that user.</summary>
    public string UserHome => Path.Combine(Directory, "home", PasswordUser);

    /// <summary>The local user that logs in by password (one name per test project).</summary>
    public string PasswordUser { get; }

    /// <summary>The password of <see cref="PasswordUser"/> (random per test process).</summary>
    public string Password { get; }

    /// <summary>sshd's own log so far (for assertion messages).</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>`sftp:root@127.0.0.1:PORT/&lt;DataDirectory&gt;/&lt;sub&gt;` (absolute path on the server).</summary>
    public string RootRemote(string sub) => $"sftp:root@127.0.0.1:{Port}{DataDirectory}/{sub}";

    /// <param name="passwordUser">The local user to create (when missing) and give a fresh password; each test project uses its own.</param>
    public static async Task<SshdServer> StartAsync(string passwordUser)
    {
        // In CI a missing server must fail loudly, never turn into a skipped test; test.sh installs these.
        foreach (var program in new[] { Sshd, SshKeygen })
        {
            if (!File.Exists(program))
            {
                throw new InvalidOperationException(
                    $"{program} is not installed. Run ./test.sh, which installs missing tools, or: "
                    + "apt-get update && apt-get install -y openssh-server openssh-sftp-server openssh-client");
            }
        }

        string password;
        await SetupLock.WaitAsync();
        try
        {
            password = await EnsurePasswordUserAsync(passwordUser);
        }
        finally
        {
            SetupLock.Release();
        }

        var dir = Path.Combine(Path.GetTempPath(), "vfsgw-sshd-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)));
        System.IO.Directory.CreateDirectory(dir);
        System.IO.Directory.CreateDirectory("/run/sshd"); // privilege separation directory, required by sshd
        System.IO.Directory.CreateDirectory(Path.Combine(dir, "data"));
        System.IO.Directory.CreateDirectory(Path.Combine(dir, "home", "root"));
        var userHome = System.IO.Directory.CreateDirectory(Path.Combine(dir, "home", passwordUser)).FullName;
        await MustAsync("chown", $"{passwordUser}:", userHome);

        // The user must be able to reach its start directory through the (0700 by default) temp dir.
        await MustAsync("chmod", "755", dir, Path.Combine(dir, "home"));

        await MustAsync(SshKeygen, "-q", "-t", "ed25519", "-N", string.Empty, "-f", Path.Combine(dir, "host_ed25519"));
        await MustAsync(SshKeygen, "-q", "-t", "ed25519", "-N", string.Empty, "-f", Path.Combine(dir, "client_ed25519"));
        File.Copy(Path.Combine(dir, "client_ed25519.pub"), Path.Combine(dir, "authorized_keys"));

        var port = LoopbackPorts.Free();
        var hostKey = File.ReadAllText(Path.Combine(dir, "host_ed25519.pub")).Split(' ');
        File.WriteAllText(Path.Combine(dir, "known_hosts"), $"[127.0.0.1]:{port} {hostKey[0]} {hostKey[1]}\n");

        var config = Path.Combine(dir, "sshd_config");
        File.WriteAllText(config, $"""
            Port {port}
            ListenAddress 127.0.0.1
            HostKey {dir}/host_ed25519
            PidFile {dir}/sshd.pid
            AuthorizedKeysFile {dir}/authorized_keys
            StrictModes no
            PubkeyAuthentication yes
            PasswordAuthentication yes
            KbdInteractiveAuthentication no
            UsePAM no
            PermitRootLogin yes
            AllowUsers root {passwordUser}
            MaxStartups 200
            MaxSessions 200
            Subsystem sftp internal-sftp -d {dir}/home/%u
            LogLevel VERBOSE

            """);

        var start = new ProcessStartInfo(Sshd) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { "-D", "-e", "-f", config })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("sshd did not start");
        var server = new SshdServer(dir, port, process, passwordUser, password);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            await LoopbackPorts.WaitForListenerAsync(port, process, "sshd", TimeSpan.FromSeconds(30));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>A known_hosts file in the fixture directory that pins a different (freshly generated) key for this server.</summary>
    public async Task<string> WrongKnownHostsAsync()
    {
        // A fresh name per call: ssh-keygen refuses to overwrite without a terminal, and a class fixture's server is shared.
        var other = Path.Combine(Directory, "other_host_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));
        await MustAsync(SshKeygen, "-q", "-t", "ed25519", "-N", string.Empty, "-f", other);
        var key = File.ReadAllText(other + ".pub").Split(' ');
        var path = other + ".known_hosts";
        File.WriteAllText(path, $"[127.0.0.1]:{Port} {key[0]} {key[1]}\n");
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        // Only the sshd this fixture started, by its own process handle, with any per-connection children still alive.
        try
        {
            _process.Kill(entireProcessTree: true);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }

        _process.Dispose();
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    /// <summary>Called under <see cref="SetupLock"/>: creates the user once per process and sets its password once.</summary>
    private static async Task<string> EnsurePasswordUserAsync(string user)
    {
        if (Passwords.TryGetValue(user, out var known))
        {
            return known;
        }

        if ((await RunAsync("id", [user])).ExitCode != 0)
        {
            await MustAsync("useradd", "-M", "-d", "/nonexistent", "-s", "/bin/sh", user);
        }

        var password = "pw-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(9));
        var chpasswd = await RunAsync("chpasswd", [], standardInput: $"{user}:{password}\n");
        if (chpasswd.ExitCode != 0)
        {
            throw new InvalidOperationException($"chpasswd could not set the password of {user}: {chpasswd.Stderr}");
        }

        Passwords[user] = password;
        return password;
    }

    internal static async Task MustAsync(string file, params string[] args)
    {
        var (exitCode, stderr) = await RunAsync(file, args);
        if (exitCode != 0)
        {
            throw new InvalidOperationException(
                $"{file} {string.Join(' ', args)} exited with {exitCode.ToString(CultureInfo.InvariantCulture)}: {stderr}");
        }
    }

    /// <summary>Runs a short setup command to completion (killed after <see cref="CommandTimeout"/>).</summary>
    internal static async Task<(int ExitCode, string Stderr)> RunAsync(string file, string[] args, string? standardInput = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput);
        }

        process.StandardInput.Close();
        using var deadline = new CancellationTokenSource(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish within {CommandTimeout.TotalSeconds:0} s");
        }

        await stdout;
        return (process.ExitCode, await stderr);
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }
}
