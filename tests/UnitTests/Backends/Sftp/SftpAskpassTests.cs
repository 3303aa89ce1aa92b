using VfsGateway.Backends.Sftp;

namespace VfsGateway.UnitTests.Backends.Sftp;

public sealed class SftpAskpassTests
{
    [Theory]
    [InlineData("root@127.0.0.1's password: ", true)]
    [InlineData("(backup@nas) Password: ", true)]
    [InlineData("Enter passphrase for key '/root/.ssh/id_ed25519': ", false)]
    [InlineData("Are you sure you want to continue connecting (yes/no/[fingerprint])? ", false)]
    public void IsPasswordPrompt_OnlyPasswordPrompts(string prompt, bool expected) =>
        Assert.Equal(expected, SftpAskpass.IsPasswordPrompt(prompt));

    [Fact]
    public void ProgramPath_WithoutGatewayExecutable_IsAScriptWithoutTheSecret()
    {
        var path = SftpAskpass.ProgramPath();

        Assert.True(File.Exists(path));
        var script = File.ReadAllText(path);
        Assert.StartsWith("#!/bin/sh", script, StringComparison.Ordinal);
        Assert.Contains("$" + "{" + SftpAskpass.PasswordVariable + "}", script, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_NoPasswordInEnvironment_RefusesEvenAPasswordPrompt()
    {
        // The test process never has the askpass password variable set.
        Assert.Null(Environment.GetEnvironmentVariable(SftpAskpass.PasswordVariable));
        using var output = new StringWriter();

        Assert.Equal(1, SftpAskpass.Run(["u@h's password: "], output));
        Assert.Equal(string.Empty, output.ToString());
    }
}
