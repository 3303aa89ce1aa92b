using System.Text.RegularExpressions;
using VfsGateway.Cli;

namespace VfsGateway.UnitTests.Cli;

/// <summary>
/// The --help listings in docs/restic.md and docs/s3.md, and the flag table of docs/vfs.md, state
/// defaults: a default changed in the code without the docs fails here (DocsFlagListTests does the
/// same for flag names).
/// </summary>
public sealed partial class DocsDefaultsTests
{
    [Theory]
    [InlineData("restic", "docs/restic.md")]
    [InlineData("s3", "docs/s3.md")]
    public async Task ServeHelp_EveryDefault_IsTheSameInItsDocsPage(string frontend, string page)
    {
        var harness = new CliHarness();
        harness.Env["HOME"] = "/root";
        var help = await HelpAsync(harness, "serve", frontend);
        var docs = DocsLines(page);

        var checkedFlags = 0;
        foreach (var line in help.Split('\n'))
        {
            if (OptionLine().Match(line) is not { Success: true } m || DefaultOf().Match(line) is not { Success: true } d)
            {
                continue;
            }

            var flag = m.Groups["flag"].Value;
            var documented = docs.Where(l => OptionLine().Match(l) is { Success: true } dm && dm.Groups["flag"].Value == flag).ToList();
            Assert.True(documented.Count > 0, $"{page} has no --help line for {flag}");
            Assert.True(documented.Any(l => l.Contains(d.Value, StringComparison.Ordinal)), $"{page}: {flag} is documented without '{d.Value}'");
            checkedFlags++;
        }

        Assert.True(checkedFlags > 5);
    }

    [Fact]
    public async Task VfsTable_DefaultsMatchServeS3()
    {
        var help = await HelpAsync(new CliHarness(), "serve", "s3");
        var table = DocsLines("docs/vfs.md").Where(l => l.StartsWith("| `--", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(table);
        foreach (var row in table)
        {
            var cells = row.Replace("\\|", "/", StringComparison.Ordinal).Split('|', StringSplitOptions.TrimEntries);
            var flag = cells[1].Trim('`').Split(' ')[0];
            if (flag == "--cache-dir")
            {
                continue; // the home directory differs per machine
            }

            var helpLine = help.Split('\n').Single(l => OptionLine().Match(l) is { Success: true } m && m.Groups["flag"].Value == flag);
            var value = DefaultOf().Match(helpLine).Groups["value"].Value;
            Assert.True(cells[3].Contains($"`{value}`", StringComparison.Ordinal) || cells[3].StartsWith(value, StringComparison.Ordinal), $"docs/vfs.md: {flag} default '{cells[3]}' but --help says '{value}'");
        }
    }

    private static async Task<string> HelpAsync(CliHarness harness, params string[] command)
    {
        // The real backends, as users see them (their flags are in the docs' listings too).
        var env = harness.Environment with { Registry = VfsGateway.Backends.BuiltinBackends.CreateRegistry() };
        Assert.Equal(0, await GatewayCli.RunAsync([.. command, "--help"], env));
        return harness.Out.Text.ReplaceLineEndings("\n");
    }

    private static string[] DocsLines(string page) => File.ReadAllLines(Path.Combine(RepositoryRoot(), page));

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "VfsGateway.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("VfsGateway.sln not found");
    }

    [GeneratedRegex(@"^\s+(-\w, )?(?<flag>--[a-z0-9-]+)")]
    private static partial Regex OptionLine();

    [GeneratedRegex(@"\[default: (?<value>[^\]]*)\]")]
    private static partial Regex DefaultOf();
}
