namespace VfsGateway.UnitTests.Cli;

public sealed class GatewayCliExitCodeTests
{
    [Theory]
    [InlineData("")]
    [InlineData("serve")]
    [InlineData("nosuchcommand")]
    [InlineData("serve|restic|--bogus|memory:")]
    [InlineData("serve|restic|--max-size|5X|memory:")]
    [InlineData("serve|restic|--tls-min-ver|1.1|memory:")]
    [InlineData("serve|restic|memory:|extra")]
    [InlineData("serve|restic")]
    [InlineData("serve|restic|--path|/x|memory:")]
    [InlineData("serve|restic|--no-auth|:memory")]
    [InlineData("ls")]
    [InlineData("htpasswd|add|f")]
    [InlineData("htpasswd|add|f|bad user")]
    [InlineData("htpasswd|add|f|u|--cost|3")]
    [InlineData("serve|restic|--tls|--no-auth|memory:")]
    public async Task Run_UsageError_ExitsTwoWithMessageOnStderr(string args)
    {
        var harness = new CliHarness();

        var code = await harness.RunAsync(Split(args));

        Assert.Equal(2, code);
        Assert.StartsWith("gateway: ", harness.Error.Text, StringComparison.Ordinal);
        Assert.Equal(string.Empty, harness.Out.Text);
    }

    [Theory]
    [InlineData("ls|nosuch:", "gateway: unknown remote 'nosuch'")]
    [InlineData("ls|--config|/nonexistent/gateway.conf|nas:", "gateway: the config file '/nonexistent/gateway.conf' (from --config) does not exist")]
    [InlineData("htpasswd|list|/nonexistent/htpasswd", "gateway: htpasswd file '/nonexistent/htpasswd' does not exist")]
    [InlineData("serve|restic|--addr|127.0.0.1:0|memory:", "gateway: no credentials")]
    [InlineData("serve|restic|--no-auth|--addr|nonsense|memory:", "gateway: listen address 'nonsense' has no port")]
    [InlineData("serve|restic|--no-auth|--addr|127.0.0.1:0|memory:a/../b", "gateway: cannot open remote 'memory:a/../b': ")]
    public async Task Run_RuntimeError_ExitsOneWithOneLine(string args, string prefix)
    {
        var harness = new CliHarness();

        var code = await harness.RunAsync(Split(args));

        Assert.Equal(1, code);
        Assert.StartsWith(prefix, harness.Error.Text, StringComparison.Ordinal);
        Assert.Single(harness.Error.Text.TrimEnd().Split('\n'));
        Assert.DoesNotContain("   at ", harness.Error.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_UnknownFlagBeforeRemote_NamesTheFlagOnly()
    {
        var harness = new CliHarness();

        Assert.Equal(2, await harness.RunAsync("serve", "restic", "--bogus", "memory:"));

        Assert.Equal("gateway: unknown option '--bogus'" + Environment.NewLine + "Run 'gateway serve restic --help' for usage." + Environment.NewLine, harness.Error.Text);
    }

    [Fact]
    public async Task Run_Version_PrintsVersionAndExitsZero()
    {
        var harness = new CliHarness();

        Assert.Equal(0, await harness.RunAsync("version"));

        Assert.Matches(@"^gateway \S+ \(\.NET [^,]+, [^)]+\)\s*$", harness.Out.Text);
    }

    [Fact]
    public void Parse_B2HardDelete_IsAcceptedForResticsRcloneBackend()
    {
        var root = VfsGateway.Cli.GatewayCli.Build(new CliHarness().Environment);

        var parse = root.Parse(["serve", "restic", "--stdio", "--b2-hard-delete", "memory:"]);

        Assert.Empty(parse.Errors);
    }

    // Arguments are written "a|b|c" because attribute arguments cannot be string arrays here.
    private static string[] Split(string args) => args.Length == 0 ? [] : args.Split('|');
}
