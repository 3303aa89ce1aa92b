using System.CommandLine;
using VfsGateway.Cli;

namespace VfsGateway.UnitTests.Cli;

/// <summary>
/// docs/restic.md and docs/s3.md promise every flag of their serve command, so a flag added to
/// the code without a line in the docs fails here (with the real backend registry, as users see it).
/// </summary>
public sealed class DocsFlagListTests
{
    [Theory]
    [InlineData("restic", "docs/restic.md")]
    [InlineData("s3", "docs/s3.md")]
    public void ServeCommand_EveryVisibleFlag_IsInItsDocsPage(string frontend, string page)
    {
        var root = GatewayCli.Build(new CliHarness().Environment with { Registry = VfsGateway.Backends.BuiltinBackends.CreateRegistry() });
        var serve = root.Subcommands.Single(c => c.Name == "serve").Subcommands.Single(c => c.Name == frontend);
        var docs = File.ReadAllText(Path.Combine(RepositoryRoot(), page));

        var missing = serve.Options
            .Where(o => !o.Hidden)
            .SelectMany(o => o.Aliases.Prepend(o.Name))
            .Where(name => name.StartsWith("--", StringComparison.Ordinal))
            .Where(name => !docs.Contains(name, StringComparison.Ordinal))
            .ToList();

        Assert.NotEmpty(serve.Options);
        Assert.True(missing.Count == 0, $"{page} does not mention: {string.Join(", ", missing)}");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "VfsGateway.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("VfsGateway.sln not found above " + AppContext.BaseDirectory);
    }
}
