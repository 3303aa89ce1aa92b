namespace VfsGateway.TestSupport;

/// <summary>Finds the built `gateway` (src/Cli) that the tests run as a real process (integration tests; conformance fixtures that use `gateway serve s3` as a backing server).</summary>
internal static class GatewayBinary
{
    private static readonly Lazy<string> DllPath = new(Locate);

    /// <summary>gateway.dll, run as `dotnet gateway.dll …`. GATEWAY_DLL overrides the search.</summary>
    public static string Dll => DllPath.Value;

    /// <summary>The dotnet host that runs the tests (DOTNET_HOST_PATH is set by `dotnet test`).</summary>
    public static string Dotnet
    {
        get
        {
            var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            if (!string.IsNullOrEmpty(host) && File.Exists(host))
            {
                return host;
            }

            var path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
            return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Select(d => Path.Combine(d, "dotnet")).FirstOrDefault(File.Exists)
                ?? throw new InvalidOperationException("the dotnet host is not on PATH");
        }
    }

    /// <summary>
    /// A gateway executable to test instead of the build output, e.g. the published single-file or
    /// NativeAOT binary: GATEWAY_BIN=dist/gateway (a relative path is taken from the repository root).
    /// </summary>
    public static string? Executable { get; } = LocateExecutable();

    /// <summary>The command line that starts the gateway: the GATEWAY_BIN executable, or dotnet then gateway.dll.</summary>
    public static IReadOnlyList<string> CommandPrefix => Executable is { } bin ? [bin] : [Dotnet, Dll];

    /// <summary>The program of <see cref="CommandPrefix"/>.</summary>
    public static string FileName => CommandPrefix[0];

    /// <summary>The arguments of <see cref="CommandPrefix"/> that come before the gateway's own.</summary>
    public static IReadOnlyList<string> LeadingArguments => CommandPrefix.Skip(1).ToArray();

    /// <summary><see cref="CommandPrefix"/> quoted for a /bin/sh script (the paths hold no single quote).</summary>
    public static string ShellCommand => string.Join(' ', CommandPrefix.Select(a => $"'{a}'"));

    private static string? LocateExecutable()
    {
        var bin = Environment.GetEnvironmentVariable("GATEWAY_BIN");
        if (string.IsNullOrEmpty(bin))
        {
            return null;
        }

        var path = Path.IsPathRooted(bin) ? bin : Path.Combine(RepositoryRoot() ?? Environment.CurrentDirectory, bin);
        return File.Exists(path) ? Path.GetFullPath(path) : throw new InvalidOperationException($"GATEWAY_BIN={bin} does not exist");
    }

    private static string Locate()
    {
        var explicitPath = Environment.GetEnvironmentVariable("GATEWAY_DLL");
        if (!string.IsNullOrEmpty(explicitPath))
        {
            return File.Exists(explicitPath)
                ? Path.GetFullPath(explicitPath)
                : throw new InvalidOperationException($"GATEWAY_DLL={explicitPath} does not exist");
        }

        // The test assembly lives in tests/IntegrationTests/bin/<Configuration>/<tfm>/; prefer the Cli build
        // of the same configuration, which has its own runtimeconfig.json and deps.json.
        var baseDir = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        var tfm = Path.GetFileName(baseDir);
        var configuration = Path.GetFileName(Path.GetDirectoryName(baseDir)) ?? "Debug";
        var candidates = new List<string>();
        var root = RepositoryRoot();
        if (root is not null)
        {
            candidates.Add(Path.Combine(root, "src", "Cli", "bin", configuration, tfm, "gateway.dll"));
            candidates.Add(Path.Combine(root, "src", "Cli", "bin", configuration == "Release" ? "Debug" : "Release", tfm, "gateway.dll"));
        }

        // The project reference also copies gateway.dll next to the tests; usable when its runtimeconfig came along.
        if (File.Exists(Path.Combine(baseDir, "gateway.runtimeconfig.json")))
        {
            candidates.Add(Path.Combine(baseDir, "gateway.dll"));
        }

        foreach (var candidate in candidates)
        {
            if (File.Exists(candidate) && File.Exists(Path.ChangeExtension(candidate, ".runtimeconfig.json")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            "the built gateway was not found; build it first (dotnet build VfsGateway.sln) or set GATEWAY_DLL. Looked at: "
            + string.Join(", ", candidates));
    }

    internal static string? RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "VfsGateway.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
