using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using VfsGateway.Backends.Sftp;
using VfsGateway.Vfs;
using VfsGateway.Vfs.Registry;

namespace VfsGateway.ConformanceTests.Backends.Sftp;

/// <summary>
/// What only a real sshd can show: startup failures that name the problem (host key, password),
/// password auth really being password auth, the remote syntax, and a dead ssh process turning
/// into a transient error and a fresh connection.
/// </summary>
public sealed class SftpConnectionTests(SftpKeyFixture fixture) : IClassFixture<SftpKeyFixture>, IDisposable
{
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromMinutes(2));

    private CancellationToken Ct => _timeout.Token;

    private SshdServer Server => fixture.Server;

    private string Port => Server.Port.ToString(CultureInfo.InvariantCulture);

    public void Dispose() => _timeout.Dispose();

    [Fact]
    public async Task Factory_WrongHostKey_FailsWithHostKeyErrorNamingTheHost()
    {
        var wrongKnownHosts = await Server.WrongKnownHostsAsync();

        var e = await Assert.ThrowsAsync<VfsException>(async () => await SftpFixture.Create(
            $"root@127.0.0.1:{Port}{Server.DataDirectory}",
            new() { ["key_file"] = Server.ClientKey, ["known_hosts_file"] = wrongKnownHosts },
            Ct));

        Assert.Equal(VfsErrorKind.PermissionDenied, e.Kind);
        Assert.Contains("host key verification", e.Message, StringComparison.Ordinal);
        Assert.Contains($"root@127.0.0.1:{Port}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Factory_UnknownHost_FailsWithHostKeyError()
    {
        var empty = Path.Combine(Server.Directory, "empty_known_hosts_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));
        File.WriteAllText(empty, string.Empty);

        var e = await Assert.ThrowsAsync<VfsException>(async () => await SftpFixture.Create(
            $"root@127.0.0.1:{Port}{Server.DataDirectory}",
            new() { ["key_file"] = Server.ClientKey, ["known_hosts_file"] = empty },
            Ct));

        Assert.Equal(VfsErrorKind.PermissionDenied, e.Kind);
        Assert.Contains("host key verification", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Factory_WrongPassword_FailsWithAuthenticationErrorNamingTheHost()
    {
        var started = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<VfsException>(async () => await SftpFixture.Create(
            $"{LocalUsers.Sftp}@127.0.0.1:{Port}",
            new() { ["password"] = "wrong-" + Server.Password, ["known_hosts_file"] = Server.KnownHosts, ["ssh_options"] = "PubkeyAuthentication=no" },
            Ct));

        Assert.Equal(VfsErrorKind.PermissionDenied, e.Kind);
        Assert.Contains("authentication", e.Message, StringComparison.Ordinal);
        Assert.Contains($"{LocalUsers.Sftp}@127.0.0.1:{Port}", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Server.Password, e.Message, StringComparison.Ordinal);

        // One prompt, one refusal: nothing waits for a terminal (sshd delays a failed password ~1-3 s).
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(30), $"took {started.Elapsed}");
    }

    [Fact]
    public async Task Factory_WrongPassword_SshStderrReachesTheLogWithoutThePassword()
    {
        var logs = new CapturingLoggerFactory();
        var registration = SftpRegistration.Create(logs);
        var config = new BackendConfig(registration, $"{LocalUsers.Sftp}@127.0.0.1:{Port}", new Dictionary<string, string>
        {
            ["password"] = "wrong-" + Server.Password,
            ["known_hosts_file"] = Server.KnownHosts,
            ["ssh_options"] = "PubkeyAuthentication=no",
        });

        await Assert.ThrowsAsync<VfsException>(async () => await registration.Factory(config, Ct));

        Assert.Contains(logs.Lines, l => l.StartsWith("Warning: ssh ", StringComparison.Ordinal) && l.Contains("Permission denied", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, l => l.Contains(Server.Password, StringComparison.Ordinal));
    }

    [Fact]
    public async Task List_SymlinksOnTheServer_AreFollowedAndDanglingOnesSkipped()
    {
        var sub = "links-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var dir = Path.Combine(Server.DataDirectory, sub);
        Directory.CreateDirectory(Path.Combine(dir, "realdir"));
        File.WriteAllBytes(Path.Combine(dir, "real"), new byte[7]);
        File.CreateSymbolicLink(Path.Combine(dir, "tofile"), "real");
        File.CreateSymbolicLink(Path.Combine(dir, "todir"), "realdir");
        File.CreateSymbolicLink(Path.Combine(dir, "dangling"), "nowhere");
        var (_, options) = fixture.Remote(sub);
        var backend = await SftpFixture.Create(dir, options, Ct);
        await using (backend)
        {
            var entries = (await backend.ListAsync(VfsPath.Root, Ct).ToListAsync(Ct)).ToDictionary(e => e.Name);

            Assert.Equal(["real", "realdir", "todir", "tofile"], entries.Keys.Order(StringComparer.Ordinal));
            Assert.Equal((false, 7L), (entries["tofile"].IsDirectory, entries["tofile"].Size));
            Assert.True(entries["todir"].IsDirectory);
        }
    }

    [Fact]
    public async Task Factory_NoKeyAndNoPassword_FailsWithAuthenticationError()
    {
        var e = await Assert.ThrowsAsync<VfsException>(async () => await SftpFixture.Create(
            $"{LocalUsers.Sftp}@127.0.0.1:{Port}",
            new() { ["known_hosts_file"] = Server.KnownHosts, ["ssh_options"] = "PubkeyAuthentication=no" },
            Ct));

        Assert.Equal(VfsErrorKind.PermissionDenied, e.Kind);
        Assert.Contains("authentication", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Factory_ConnectionRefused_FailsTransient()
    {
        var closedPort = ClosedPort();

        var e = await Assert.ThrowsAsync<VfsException>(async () => await SftpFixture.Create(
            $"root@127.0.0.1:{closedPort}/tmp",
            new() { ["key_file"] = Server.ClientKey, ["known_hosts_file"] = Server.KnownHosts },
            Ct));

        Assert.Equal(VfsErrorKind.Transient, e.Kind);
        Assert.Contains("Connection refused", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Factory_Password_AuthenticatesByPassword()
    {
        var backend = await SftpFixture.Create(
            $"{LocalUsers.Sftp}@127.0.0.1:{Port}",
            new() { ["password"] = Server.Password, ["known_hosts_file"] = Server.KnownHosts, ["ssh_options"] = "PubkeyAuthentication=no" },
            Ct);
        await using (backend)
        {
            await backend.MkdirAsync(VfsPath.Parse("pw-check"), Ct);

            Assert.True(Directory.Exists(Path.Combine(Server.Directory, "home", LocalUsers.Sftp, "pw-check")));
            Assert.Contains($"Accepted password for {LocalUsers.Sftp}", Server.Log, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task InlineSyntax_AbsolutePath_IsRootedThere()
    {
        var dir = Path.Combine(Server.DataDirectory, "inline-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));
        var backend = await SftpFixture.Create(
            $"root@127.0.0.1:{Port}{dir}",
            new() { ["key_file"] = Server.ClientKey, ["known_hosts_file"] = Server.KnownHosts },
            Ct);
        await using (backend)
        {
            await backend.PutAsync(VfsPath.Parse("a/b"), new MemoryStream([1, 2, 3]), new PutOptions(3), Ct);

            Assert.Equal([1, 2, 3], File.ReadAllBytes(Path.Combine(dir, "a", "b")));
        }
    }

    [Fact]
    public async Task DeadSsh_InFlightReadFailsTransient_NextOperationReconnects()
    {
        var backend = (SftpBackend)await fixture.CreateBackendAsync("dead-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)), Ct);
        await using (backend)
        {
            var data = RandomNumberGenerator.GetBytes(4 * 1024 * 1024);
            await backend.PutAsync(VfsPath.Parse("big"), new MemoryStream(data), new PutOptions(data.Length), Ct);
            var before = backend.Pool.ProcessIds;
            Assert.Single(before);

            var stream = await backend.OpenReadAsync(VfsPath.Parse("big"), null, Ct);
            await using (stream)
            {
                var head = new byte[1000];
                await stream.ReadExactlyAsync(head, Ct);
                using (var ssh = Process.GetProcessById(before[0]))
                {
                    ssh.Kill();
                    await ssh.WaitForExitAsync(Ct);
                }

                var e = await Assert.ThrowsAsync<VfsException>(async () => await stream.CopyToAsync(Stream.Null, Ct));
                Assert.Equal(VfsErrorKind.Transient, e.Kind);
            }

            var entry = await backend.StatAsync(VfsPath.Parse("big"), Ct);

            Assert.Equal(data.Length, entry.Size);
            var after = backend.Pool.ProcessIds;
            Assert.Single(after);
            Assert.NotEqual(before[0], after[0]);
        }
    }

    [Fact]
    public async Task Pool_ConcurrentTransfers_UseAtMostTheConfiguredConnections()
    {
        var (root, options) = fixture.Remote("pool-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));
        options["connections"] = "2";
        var backend = (SftpBackend)await SftpFixture.Create(root, options, Ct);
        await using (backend)
        {
            var data = RandomNumberGenerator.GetBytes(1024 * 1024);
            var puts = Enumerable.Range(0, 6).Select(i =>
                backend.PutAsync(VfsPath.Parse($"f{i}"), new MemoryStream(data), new PutOptions(data.Length), Ct).AsTask());
            await Task.WhenAll(puts);

            Assert.Equal(2, backend.Pool.Count);
            for (var i = 0; i < 6; i++)
            {
                var stream = await backend.OpenReadAsync(VfsPath.Parse($"f{i}"), null, Ct);
                await using (stream)
                {
                    using var copy = new MemoryStream();
                    await stream.CopyToAsync(copy, Ct);
                    Assert.Equal(data, copy.ToArray());
                }
            }
        }
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
