using System.Security.Cryptography;
using VfsGateway.IntegrationTests.Infrastructure;

namespace VfsGateway.IntegrationTests.Backends.Sftp;

/// <summary>
/// Password logins of an ordinary (non-root) user through the real gateway binaries. ssh gets the
/// password from an askpass program: the apphost `gateway` runs itself in askpass mode; under
/// `dotnet gateway.dll` the backend generates a small script instead. Both are exercised here.
/// The password travels in GATEWAY_SFTP_PASSWORD or a config file, never on a command line.
/// </summary>
public sealed class SftpPasswordAuthTests
{
    [Fact]
    public async Task Ls_ApphostWithPassword_ListsTheUsersFiles()
    {
        var apphost = Apphost();
        await using var sshd = await SshdServer.StartAsync(LocalUsers.Sftp);
        var file = Path.Combine(sshd.UserHome, "hello from the server.txt");
        await File.WriteAllTextAsync(file, "0123456789");
        await ProcessRunner.RunAsync("chown", [$"{LocalUsers.Sftp}:", file]);

        var result = await RunApphostAsync(
            apphost,
            ["ls", $"sftp:{LocalUsers.Sftp}@127.0.0.1:{sshd.Port}", "--sftp-known-hosts-file", sshd.KnownHosts],
            sshd.Password);

        Assert.True(result.Succeeded, result.Describe() + "\nsshd log:\n" + sshd.Log);
        Assert.Contains("hello from the server.txt", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Accepted password for " + LocalUsers.Sftp, sshd.Log, StringComparison.Ordinal);
        Assert.DoesNotContain(sshd.Password, result.Stdout + result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServeS3_DllWithPassword_AwsCliWritesAsTheUser()
    {
        var aws = AwsCli.V2;
        using var temp = new TempDir("sftp-pw-s3");
        await using var sshd = await SshdServer.StartAsync(LocalUsers.Sftp);
        // A named remote in a config file keeps the password off the command line (the operator's way).
        var config = temp.Sub("gateway.conf");
        await File.WriteAllTextAsync(config, $"""
            [pwnas]
            type = sftp
            host = 127.0.0.1
            port = {sshd.Port}
            user = {LocalUsers.Sftp}
            password = {sshd.Password}
            known_hosts_file = {sshd.KnownHosts}

            """);
        await using var gateway = await GatewayServer.StartAsync("serve", "s3", "pwnas:s3", "--config", config, "--auth-key", "PWAK,pw-secret");
        var cli = new AwsCli(aws, gateway.BaseUrl, "PWAK", "pw-secret", () => $"gateway log:\n{gateway.Stderr}\nsshd log:\n{sshd.Log}");

        var source = temp.Sub("notes.bin");
        await File.WriteAllBytesAsync(source, RandomNumberGenerator.GetBytes(300_000));
        await cli.MustAsync("s3", "mb", "s3://mine");
        await cli.MustAsync("s3", "cp", source, "s3://mine/notes.bin");
        var downloaded = temp.Sub("back.bin");
        await cli.MustAsync("s3", "cp", "s3://mine/notes.bin", downloaded);
        Assert.Equal(await File.ReadAllBytesAsync(source), await File.ReadAllBytesAsync(downloaded));

        // Relative to the login directory, written by the user itself (not by root).
        var onServer = new FileInfo(Path.Combine(sshd.UserHome, "s3", "mine", "notes.bin"));
        Assert.True(onServer.Exists, "the object is not in the user's home on the sftp server. sshd log:\n" + sshd.Log);
        var owner = await ProcessRunner.RunAsync("stat", ["-c", "%U", onServer.FullName]);
        Assert.Equal(LocalUsers.Sftp, owner.Stdout.Trim());
        Assert.DoesNotContain(sshd.Password, gateway.Stderr + gateway.Stdout, StringComparison.Ordinal);
    }

    internal static string Apphost()
    {
        // A GATEWAY_BIN executable is the apphost itself.
        var apphost = GatewayBinary.Executable ?? Path.Combine(Path.GetDirectoryName(GatewayBinary.Dll)!, "gateway");
        Assert.True(File.Exists(apphost), $"the apphost {apphost} was not built next to gateway.dll");
        return apphost;
    }

    // The apphost finds the runtime through DOTNET_ROOT when dotnet is not installed in a default place;
    // /usr/bin/dotnet is usually a symlink into the real root.
    private static string? DotnetRoot()
    {
        var host = new FileInfo(GatewayBinary.Dotnet);
        return Path.GetDirectoryName(host.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? host.FullName);
    }

    internal static Task<ProcessResult> RunApphostAsync(string apphost, string[] args, string password) =>
        ProcessRunner.RunAsync(
            apphost,
            args,
            new Dictionary<string, string?>
            {
                ["DOTNET_NOLOGO"] = "1",
                ["GATEWAY_SFTP_PASSWORD"] = password,
                ["DOTNET_ROOT"] = DotnetRoot(),
            },
            timeout: TimeSpan.FromSeconds(120));
}
