using VfsGateway.Backends.Sftp;
using VfsGateway.Vfs;
using VfsGateway.Vfs.Registry;

namespace VfsGateway.UnitTests.Backends.Sftp;

public sealed class SftpOptionsTests
{
    [Theory]
    [InlineData("backup@nas.lan/srv/data", "backup", "nas.lan", null, "/srv/data")]
    [InlineData("backup@nas.lan:2222/srv/data/", "backup", "nas.lan", 2222, "/srv/data")]
    [InlineData("nas.lan", null, "nas.lan", null, "")]
    [InlineData("nas.lan/", null, "nas.lan", null, "/")]
    [InlineData("nas.lan/~", null, "nas.lan", null, "")]
    [InlineData("nas.lan/~/backups/x", null, "nas.lan", null, "backups/x")]
    [InlineData("u@[::1]:22/data", "u", "::1", 22, "/data")]
    [InlineData("first@second@host/p", "first@second", "host", null, "/p")]
    public void FromConfig_RemoteSyntax_SplitsUserHostPortPath(string root, string? user, string host, int? port, string path)
    {
        var options = SftpOptions.FromConfig(Config(root));

        Assert.Equal(user, options.User);
        Assert.Equal(host, options.Host);
        Assert.Equal(port, options.Port);
        Assert.Equal(path, options.Path);
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("/srv/data", "/srv/data")]
    [InlineData("relative/dir", "relative/dir")]
    [InlineData("~/relative", "relative")]
    public void FromConfig_HostOption_RootIsOnlyThePath(string root, string path)
    {
        var options = SftpOptions.FromConfig(Config(root, ("host", "nas"), ("user", "u"), ("port", "2200")));

        Assert.Equal(("nas", "u", 2200, path), (options.Host, options.User, options.Port, options.Path));
    }

    [Fact]
    public void FromConfig_CustomSshCommand_RootIsOnlyThePathAndNoHostNeeded()
    {
        var options = SftpOptions.FromConfig(Config("/srv/data", ("ssh", "sshpass -p hunter2 ssh backup@nas")));

        Assert.Equal(("", "/srv/data"), (options.Host, options.Path));
        Assert.Equal("backup@nas (via sshpass)", options.Destination);
        Assert.DoesNotContain("hunter2", options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void FromConfig_TildeInFileOptions_IsTheHomeDirectory()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var name = ".sftp-options-test-" + Guid.NewGuid().ToString("N");
        var file = Path.Combine(home, name);
        File.WriteAllText(file, string.Empty);
        try
        {
            var options = SftpOptions.FromConfig(Config("h", ("key_file", "~/" + name), ("known_hosts_file", "~/" + name)));

            Assert.Equal((file, file), (options.KeyFile, options.KnownHostsFile));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void FromConfig_RemoteUserAndPort_WinOverOptions()
    {
        var options = SftpOptions.FromConfig(Config("alice@h:2022/p", ("user", "bob"), ("port", "22")));

        Assert.Equal(("alice", 2022), (options.User, options.Port));
    }

    [Fact]
    public void FromConfig_OptionsSupplyMissingParts()
    {
        var options = SftpOptions.FromConfig(Config("h/p", ("user", "bob"), ("port", "2222")));

        Assert.Equal(("bob", 2222), (options.User, options.Port));
    }

    [Fact]
    public void FromConfig_Defaults_AreTheDocumentedOnes()
    {
        var options = SftpOptions.FromConfig(Config("h"));

        Assert.Equal((4, 64, (int?)null), (options.Connections, options.Concurrency, options.ChunkSize));
        Assert.Empty(options.SshOptions);
        Assert.Null(options.Password);
    }

    [Theory]
    [InlineData("65536", 65536)]
    [InlineData("32k", 32768)]
    [InlineData("64KiB", 65536)]
    [InlineData("1M", 1048576)]
    public void FromConfig_ChunkSize_AcceptsSuffixes(string value, int expected) =>
        Assert.Equal(expected, SftpOptions.FromConfig(Config("h", ("chunk_size", value))).ChunkSize);

    [Theory]
    [InlineData(null, null, null, 32 * 1024)]
    [InlineData(null, 261120UL, 262144UL, 261120)]
    [InlineData(null, 4UL * 1024 * 1024, 8UL * 1024 * 1024, 256 * 1024)]
    [InlineData(65536, null, null, 65536)]
    [InlineData(1024 * 1024, 261120UL, 262144UL, 261120)]
    [InlineData(1024 * 1024, 0UL, 100_000UL, 100_000 - 1024)]
    [InlineData(16384, 261120UL, 262144UL, 16384)]
    public void ChunkFor_ConfiguredOrAutomatic_NeverAboveTheServerLimits(int? configured, ulong? maxLength, ulong? maxPacket, int expected) =>
        Assert.Equal(expected, SftpBackend.ChunkFor(configured, maxLength, maxPacket));

    [Fact]
    public void FromConfig_SshOptions_SplitLikeAShell()
    {
        var options = SftpOptions.FromConfig(Config("h", ("ssh_options", "Ciphers=aes128-gcm@openssh.com,aes256-gcm@openssh.com 'ProxyCommand=ssh -W %h:%p jump' \"Compression=yes\"")));

        Assert.Equal(["Ciphers=aes128-gcm@openssh.com,aes256-gcm@openssh.com", "ProxyCommand=ssh -W %h:%p jump", "Compression=yes"], options.SshOptions);
    }

    [Theory]
    [InlineData("-oProxyCommand=evil/x")]
    [InlineData("")]
    [InlineData("@host")]
    [InlineData("host:port/x")]
    [InlineData("[::1/x")]
    [InlineData("host:70000")]
    public void FromConfig_BadRemote_ThrowsInvalid(string root)
    {
        var e = Assert.Throws<VfsException>(() => SftpOptions.FromConfig(Config(root)));

        Assert.Equal(VfsErrorKind.Invalid, e.Kind);
    }

    [Theory]
    [InlineData("connections", "0")]
    [InlineData("concurrency", "5000")]
    [InlineData("chunk_size", "100")]
    [InlineData("chunk_size", "lots")]
    [InlineData("user", "-lroot")]
    [InlineData("key_file", "/no/such/key")]
    [InlineData("known_hosts_file", "/no/such/known_hosts")]
    [InlineData("ssh_options", "JustAWord")]
    public void FromConfig_BadOption_ThrowsInvalidNamingIt(string option, string value)
    {
        var e = Assert.Throws<VfsException>(() => SftpOptions.FromConfig(Config("h", (option, value))));

        Assert.Equal(VfsErrorKind.Invalid, e.Kind);
    }

    [Fact]
    public void ToString_NeverShowsThePassword()
    {
        var options = SftpOptions.FromConfig(Config("u@h/p", ("password", "s3cret-value")));

        Assert.DoesNotContain("s3cret-value", options.ToString(), StringComparison.Ordinal);
        Assert.Contains("u@h", options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Registration_Options_HaveFlagsEnvNamesAndASecretPassword()
    {
        var registration = SftpRegistration.Registration;

        Assert.Equal("sftp", registration.Name);
        Assert.Equal(
            ["host", "user", "port", "key_file", "known_hosts_file", "password", "ssh", "ssh_options", "connections", "concurrency", "chunk_size"],
            registration.Options.Select(o => o.Name));
        Assert.True(registration.FindOption("password")!.IsSecret);
        Assert.Equal("--sftp-key-file", registration.FindOption("key_file")!.FlagName("sftp"));
        Assert.Equal("GATEWAY_SFTP_KNOWN_HOSTS_FILE", registration.FindOption("known_hosts_file")!.EnvName("sftp"));
    }

    private static BackendConfig Config(string root, params (string Key, string Value)[] values) =>
        new(SftpRegistration.Registration, root, values.ToDictionary(v => v.Key, v => v.Value));
}
