using VfsGateway.Cli;

namespace VfsGateway.UnitTests.Cli;

/// <summary>Each mistake a new user makes gets one line that says what to do (issue 14).</summary>
public sealed class UsageMessageTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gateway-usage-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("serve|restic|memory:|--apend-only", "gateway: unknown option '--apend-only' (did you mean --append-only?)")]
    [InlineData("serve|restic|--apend-only|memory:", "gateway: unknown option '--apend-only' (did you mean --append-only?)")]
    [InlineData("serve|s3|--no-auht|memory:", "gateway: unknown option '--no-auht' (did you mean --no-auth?)")]
    [InlineData("serve|s3|memory:|--prometeus", "gateway: unknown option '--prometeus' (did you mean --prometheus?)")]
    [InlineData("srve|restic|memory:", "gateway: unknown command 'srve' for 'gateway' (did you mean serve?)")]
    [InlineData("serve|rstic|memory:", "gateway: unknown command 'rstic' for 'gateway serve' (did you mean restic?)")]
    [InlineData("serve|s3", "gateway: gateway serve s3 needs REMOTE (see 'gateway serve s3 --help')")]
    [InlineData("ls", "gateway: gateway ls needs REMOTE (see 'gateway ls --help')")]
    [InlineData("serve", "gateway: gateway serve needs a command: restic, s3")]
    [InlineData("serve|s3|--no-auth|--tls-cert|c.pem|memory:", "gateway: --tls-cert needs --tls (without it the server speaks plain HTTP)")]
    [InlineData("serve|restic|--no-auth|--tls-key|k.pem|memory:", "gateway: --tls-key needs --tls (without it the server speaks plain HTTP)")]
    [InlineData("serve|s3|--no-auth|--log-level|loud|memory:", "gateway: --log-level: 'loud' is not one of trace, debug, info, warn, error")]
    [InlineData("serve|s3|--no-auth|-v|-q|memory:", "gateway: give only one of --log-level, -v/--verbose and -q/--quiet")]
    public async Task Run_Mistake_FirstLineSaysWhatToDo(string args, string expected)
    {
        var harness = new CliHarness();

        Assert.Equal(ExitCodes.Usage, await harness.RunAsync(args.Split('|')));

        Assert.Equal(expected, harness.Error.Text.Split('\n')[0].TrimEnd());
    }

    [Fact]
    public async Task Run_NoArguments_ListsTheCommands()
    {
        var harness = new CliHarness();

        Assert.Equal(ExitCodes.Usage, await harness.RunAsync());

        Assert.StartsWith("gateway: missing command\nCommands:\n  serve ", harness.Error.Text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("  version ", harness.Error.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_BarePortAsAddress_SuggestsColonForm()
    {
        var harness = new CliHarness();

        Assert.Equal(ExitCodes.Error, await harness.RunAsync("serve", "s3", "--no-auth", "--addr", "21102", "memory:"));

        Assert.Equal("gateway: listen address '21102' has no host: did you mean \":21102\" (all interfaces) or \"127.0.0.1:21102\"?", harness.Error.Text.TrimEnd());
    }
}
