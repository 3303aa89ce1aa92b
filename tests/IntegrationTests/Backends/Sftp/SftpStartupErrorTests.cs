using VfsGateway.IntegrationTests.Infrastructure;

namespace VfsGateway.IntegrationTests.Backends.Sftp;

/// <summary>
/// The backend connects when the gateway starts: a host key that does not match known_hosts, or a
/// wrong password, must stop `gateway serve restic sftp:…` with a non-zero exit and a message on
/// stderr that says what failed — before anything listens.
/// </summary>
public sealed class SftpStartupErrorTests
{
    [Fact]
    public async Task ServeRestic_WrongHostKey_ExitsNonZeroWithHostKeyError()
    {
        await using var sshd = await SshdServer.StartAsync(LocalUsers.Sftp);
        var wrongKnownHosts = await sshd.WrongKnownHostsAsync();

        var result = await GatewayCli.RunAsync(
            ["serve", "restic", sshd.RootRemote("restic"), "--no-auth", "--addr", "127.0.0.1:0",
             "--sftp-key-file", sshd.ClientKey, "--sftp-known-hosts-file", wrongKnownHosts]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("host key verification for root@127.0.0.1", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("known_hosts", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("listening on", result.Stderr + result.Stdout, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(sshd.DataDirectory, "restic")), "something was written despite the bad host key");
    }

    [Fact]
    public async Task ServeRestic_UnknownHostKey_ExitsNonZeroWithHostKeyError()
    {
        // An empty known_hosts: the key is not trusted, and the gateway must never accept it on first use.
        using var temp = new TempDir("sftp-unknown-key");
        await using var sshd = await SshdServer.StartAsync(LocalUsers.Sftp);
        var empty = temp.Sub("known_hosts");
        await File.WriteAllTextAsync(empty, string.Empty);

        var result = await GatewayCli.RunAsync(
            ["serve", "restic", sshd.RootRemote("restic"), "--no-auth", "--addr", "127.0.0.1:0",
             "--sftp-key-file", sshd.ClientKey, "--sftp-known-hosts-file", empty]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("host key verification", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("listening on", result.Stderr + result.Stdout, StringComparison.Ordinal);
        Assert.Equal(string.Empty, await File.ReadAllTextAsync(empty));
    }

    [Fact]
    public async Task ServeRestic_WrongPassword_ExitsNonZeroWithAuthenticationError()
    {
        var apphost = SftpPasswordAuthTests.Apphost();
        await using var sshd = await SshdServer.StartAsync(LocalUsers.Sftp);
        const string wrong = "not-the-password-5103";

        var result = await SftpPasswordAuthTests.RunApphostAsync(
            apphost,
            ["serve", "restic", $"sftp:{LocalUsers.Sftp}@127.0.0.1:{sshd.Port}/~/restic", "--no-auth", "--addr", "127.0.0.1:0",
             "--sftp-known-hosts-file", sshd.KnownHosts],
            wrong);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"authentication to {LocalUsers.Sftp}@127.0.0.1", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("listening on", result.Stderr + result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, result.Stderr + result.Stdout, StringComparison.Ordinal);

        // The password was really offered (askpass answered) and refused: not a missing prompt or a timeout.
        Assert.Contains("Failed password for " + LocalUsers.Sftp, sshd.Log, StringComparison.Ordinal);
    }
}
