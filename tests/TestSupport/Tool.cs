namespace VfsGateway.TestSupport;

/// <summary>
/// External programs the tests drive. A missing program FAILS the test with the command that installs
/// it: in CI a missing client must never turn into a silently skipped test.
/// </summary>
internal static class Tool
{
    private static readonly Dictionary<string, string> AptPackages = new(StringComparer.Ordinal)
    {
        ["restic"] = "restic",
        ["rclone"] = "rclone",
        ["htpasswd"] = "apache2-utils",
        ["openssl"] = "openssl",
        ["curl"] = "curl",
    };

    /// <summary>The absolute path of <paramref name="name"/> on PATH; throws (failing the test) when it is not installed.</summary>
    public static string Require(string name)
    {
        var found = Find(name);
        if (found is not null)
        {
            return found;
        }

        var package = AptPackages.GetValueOrDefault(name, name);
        throw new InvalidOperationException(
            $"required tool '{name}' is not installed (not found on PATH). Run ./test.sh, which installs missing tools, "
            + $"or install it yourself: apt-get update && apt-get install -y {package}");
    }

    public static string? Find(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate) && IsExecutable(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static bool IsExecutable(string file) =>
        OperatingSystem.IsWindows() || (File.GetUnixFileMode(file) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
}
