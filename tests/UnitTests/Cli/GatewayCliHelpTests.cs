using System.CommandLine;
using System.Text.RegularExpressions;
using VfsGateway.Cli;

namespace VfsGateway.UnitTests.Cli;

public sealed partial class GatewayCliHelpTests
{
    public static TheoryData<string> CommandPaths()
    {
        var data = new TheoryData<string>();
        foreach (var (path, _) in Walk(GatewayCli.Build(new CliHarness().Environment), []))
        {
            data.Add(string.Join(' ', path));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CommandPaths))]
    public async Task Help_EveryCommand_ListsEveryVisibleFlagWithItsDefault(string commandPath)
    {
        var harness = new CliHarness();
        var command = Walk(GatewayCli.Build(harness.Environment), []).Single(c => string.Join(' ', c.Path) == commandPath).Command;
        var args = commandPath.Length == 0 ? new[] { "--help" } : [.. commandPath.Split(' '), "--help"];

        var code = await harness.RunAsync(args);

        Assert.Equal(0, code);
        var help = Whitespace().Replace(harness.Out.Text, " ");
        foreach (var option in command.Options.Where(o => !o.Hidden))
        {
            Assert.Contains(option.Name, help, StringComparison.Ordinal);
            if (option.ValueType != typeof(bool) && option.HasDefaultValue)
            {
                Assert.Contains($"[default: {option.GetDefaultValue()}]", help, StringComparison.Ordinal);
            }
        }

        foreach (var option in command.Options.Where(o => o.Hidden))
        {
            Assert.DoesNotContain(option.Name, help, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Help_ServeRestic_ShowsRestServerDefaultsAndBackendFlags()
    {
        var harness = new CliHarness();

        await harness.RunAsync("serve", "restic", "--help");

        var help = Whitespace().Replace(harness.Out.Text, " ");
        Assert.Contains("--addr, --listen <address>", help, StringComparison.Ordinal);
        Assert.Contains("[default: :8000]", help, StringComparison.Ordinal);
        Assert.Contains("--htpasswd, --htpasswd-file <file>", help, StringComparison.Ordinal);
        Assert.Contains("[default: .htpasswd in the root of a local remote", help, StringComparison.Ordinal);
        Assert.Contains("--tls-min-ver <version> Minimum TLS version: 1.2 or 1.3 [default: 1.2]", help, StringComparison.Ordinal);
        Assert.Contains("--fake-port <value> Server port (env GATEWAY_FAKE_PORT) [default: 22]", help, StringComparison.Ordinal);
        Assert.Contains("--fake-key-file <value> Private key file (env GATEWAY_FAKE_KEY_FILE)", help, StringComparison.Ordinal);
        Assert.Contains("--fake-fast-mode Go fast (env GATEWAY_FAKE_FAST_MODE)", help, StringComparison.Ordinal);
        Assert.Contains("--fake-password <value> Login password (env GATEWAY_FAKE_PASSWORD) (secret)", help, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2-default", help, StringComparison.Ordinal);
        Assert.DoesNotContain("--b2-hard-delete", help, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backends_ListsEveryBackendOptionWithFlagEnvAndDefault_ButNoSecretValues()
    {
        var harness = new CliHarness();

        Assert.Equal(0, await harness.RunAsync("backends"));
        var viaHelp = new CliHarness();
        Assert.Equal(0, await viaHelp.RunAsync("help", "backends"));

        var text = harness.Out.Text;
        Assert.Equal(text, viaHelp.Out.Text);
        foreach (var registration in harness.Backends.Registry.All)
        {
            Assert.Contains($"{registration.Name}: {registration.Description}", text, StringComparison.Ordinal);
            foreach (var option in registration.Options)
            {
                Assert.Contains($"flag {option.FlagName(registration.Name)}, env {option.EnvName(registration.Name)}", text, StringComparison.Ordinal);
            }
        }

        Assert.Contains("  port: Server port [default: 22]", text, StringComparison.Ordinal);
        Assert.Contains("  host: Server host name (required)", text, StringComparison.Ordinal);
        Assert.Contains("  password: Login password (secret)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2-default", text, StringComparison.Ordinal);
    }

    private static IEnumerable<(string[] Path, Command Command)> Walk(Command command, string[] path)
    {
        yield return (path, command);
        foreach (var sub in command.Subcommands)
        {
            foreach (var item in Walk(sub, [.. path, sub.Name]))
            {
                yield return item;
            }
        }
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
