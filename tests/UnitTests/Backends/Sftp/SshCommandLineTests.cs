using VfsGateway.Backends.Sftp;

namespace VfsGateway.UnitTests.Backends.Sftp;

public sealed class SshCommandLineTests
{
    [Fact]
    public void Create_KeyAuth_BatchModeStrictHostKeysAndSubsystem()
    {
        var key = Path.GetTempFileName();
        try
        {
            var start = SshCommandLine.Create(new SftpOptions { Host = "nas", User = "u", Port = 2222, KeyFile = key, KnownHostsFile = key });
            var args = start.ArgumentList.ToList();

            Assert.Equal("ssh", start.FileName);
            Assert.Equal(["-s", "nas", "sftp"], args[^3..]);
            Assert.Contains("BatchMode=yes", args);
            Assert.Contains("StrictHostKeyChecking=yes", args);
            Assert.Contains($"UserKnownHostsFile={key}", args);
            Assert.Equal(key, args[args.IndexOf("-i") + 1]);
            Assert.Equal("2222", args[args.IndexOf("-p") + 1]);
            Assert.Equal("u", args[args.IndexOf("-l") + 1]);
            Assert.False(start.Environment.ContainsKey("SSH_ASKPASS_REQUIRE"));
        }
        finally
        {
            File.Delete(key);
        }
    }

    [Fact]
    public void Create_Password_GoesThroughAskpassEnvironmentNeverArguments()
    {
        var start = SshCommandLine.Create(new SftpOptions { Host = "nas", Password = "pa55-word" });

        Assert.DoesNotContain(start.ArgumentList, a => a.Contains("pa55-word", StringComparison.Ordinal));
        Assert.DoesNotContain("BatchMode=yes", start.ArgumentList);
        Assert.Contains("NumberOfPasswordPrompts=1", start.ArgumentList);
        Assert.Equal("force", start.Environment["SSH_ASKPASS_REQUIRE"]);
        Assert.False(string.IsNullOrEmpty(start.Environment["SSH_ASKPASS"]));
        Assert.Equal("pa55-word", start.Environment[SftpAskpass.PasswordVariable]);
        Assert.Equal("1", start.Environment[SftpAskpass.ModeVariable]);
        Assert.False(start.Environment.ContainsKey("GATEWAY_SFTP_PASSWORD"));
    }

    [Fact]
    public void Create_UserSshOptions_ComeFirstSoTheyWin()
    {
        var start = SshCommandLine.Create(new SftpOptions { Host = "nas", SshOptions = ["StrictHostKeyChecking=accept-new", "Port=2200"] });
        var args = start.ArgumentList.ToList();

        Assert.Equal(["-o", "StrictHostKeyChecking=accept-new", "-o", "Port=2200"], args[..4]);
    }

    [Fact]
    public void Create_CustomSshCommand_IsUsedAsIsWithTheSubsystemAppended()
    {
        var start = SshCommandLine.Create(new SftpOptions { SshCommand = "/usr/local/bin/ssh -F '/etc/my ssh/config' backup@nas" });

        Assert.Equal("/usr/local/bin/ssh", start.FileName);
        Assert.Equal(["-F", "/etc/my ssh/config", "backup@nas", "-s", "sftp"], start.ArgumentList);
    }
}
