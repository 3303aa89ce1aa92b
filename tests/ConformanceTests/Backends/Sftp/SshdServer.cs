using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace VfsGateway.ConformanceTests.Backends.Sftp;

/// <summary>
/// A private OpenSSH sshd on 127.0.0.1 and a free port, with its own host key, authorized_keys,
/// client key and known_hosts in a temp directory (TEST-INFRA.md). Root logs in by key; the
/// local user <see cref="PasswordUser"/> (created if missing) by password. internal-sftp starts
/// every user in D/home/USER, so relative remote paths land inside the fixture directory.
/// Installs openssh-server when sshd is missing; a failure to start is a test failure, never a skip.
/// </summary>
public sealed class SshdServer : IAsyncDisposable
{
    public const string PasswordUser = "gwsftp";
    private const string Sshd = "/usr/sbin/sshd";
    private static readonly SemaphoreSlim SetupLock = new(1, 1);
    private static string? _password;

    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private SshdServer(string directory, int port, Process process)
    {
        Directory = directory;
        Port = port;
        _process = process;
    }

    /// <summary>The fixture directory (removed on dispose).</summary>
    public string Directory { get; }

    public int Port { get; }

    public string ClientKey => Path.Combine(Directory, "client_ed25519");

    public string KnownHosts => Path.Combine(Directory, "known_hosts");

    /// <summary>Where root's remotes live (absolute paths).</summary>
    public string DataDirectory => Path.Combine(Directory, "data");

    /// <summary>The password of <see cref="PasswordUser"/> (random per test process).</summary>
    public static string Password => _password ?? throw new InvalidOperationException("not started");

    /// <summary>sshd's own log so far (useful in assertion messages).</summary>
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

    public static async Task<SshdServer> StartAsync()
    {
        await SetupLock.WaitAsync();
        try
        {
            if (!File.Exists(Sshd))
            {
                await RunAsync("apt-get", "install", "-y", "--no-install-recommends", "openssh-server", "openssh-sftp-server");
            }

            await EnsurePasswordUserAsync();
        }
        finally
        {
            SetupLock.Release();
        }

        var dir = Path.Combine(Path.GetTempPath(), "vfsgw-sshd-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)));
        System.IO.Directory.CreateDirectory(dir);
        System.IO.Directory.CreateDirectory("/run/sshd"); // privilege separation directory, required
        System.IO.Directory.CreateDirectory(Path.Combine(dir, "data"));
        System.IO.Directory.CreateDirectory(Path.Combine(dir, "home", "root"));
        var userHome = System.IO.Directory.CreateDirectory(Path.Combine(dir, "home", PasswordUser)).FullName;
        await RunAsync("chown", $"{PasswordUser}:", userHome);

        // /tmp/<random> is 0700 by default in some setups: the user must be able to reach its start directory.
        await RunAsync("chmod", "755", dir, Path.Combine(dir, "home"));

        await RunAsync("ssh-keygen", "-q", "-t", "ed25519", "-N", string.Empty, "-f", Path.Combine(dir, "host_ed25519"));
        await RunAsync("ssh-keygen", "-q", "-t", "ed25519", "-N", string.Empty, "-f", Path.Combine(dir, "client_ed25519"));
        File.Copy(Path.Combine(dir, "client_ed25519.pub"), Path.Combine(dir, "authorized_keys"));

        var port = FreePort();
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
            AllowUsers root {PasswordUser}
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
        var server = new SshdServer(dir, port, process);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            await WaitForPortAsync(port, process);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            // Only the sshd this fixture started, by its own process handle.
            _process.Kill();
            await _process.WaitForExitAsync();
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

    /// <summary>Runs a command and returns its stdout; a non-zero exit throws with its stderr.</summary>
    public static async Task<string> RunAsync(string file, params string[] args)
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

        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {process.ExitCode}: {await stderr}");
        }

        return await stdout;
    }

    private static async Task EnsurePasswordUserAsync()
    {
        if (_password is not null)
        {
            return;
        }

        try
        {
            await RunAsync("id", PasswordUser);
        }
        catch (InvalidOperationException)
        {
            await RunAsync("useradd", "-M", "-d", "/nonexistent", "-s", "/bin/sh", PasswordUser);
        }

        var password = "pw-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(9));
        var start = new ProcessStartInfo("chpasswd") { RedirectStandardInput = true, RedirectStandardError = true, UseShellExecute = false };
        using (var chpasswd = Process.Start(start) ?? throw new InvalidOperationException("chpasswd did not start"))
        {
            await chpasswd.StandardInput.WriteLineAsync($"{PasswordUser}:{password}");
            chpasswd.StandardInput.Close();
            await chpasswd.WaitForExitAsync();
            if (chpasswd.ExitCode != 0)
            {
                throw new InvalidOperationException($"chpasswd failed: {await chpasswd.StandardError.ReadToEndAsync()}");
            }
        }

        _password = password;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitForPortAsync(int port, Process process)
    {
        for (var i = 0; i < 150; i++)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"sshd exited with {process.ExitCode}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new InvalidOperationException($"sshd did not listen on 127.0.0.1:{port}");
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
