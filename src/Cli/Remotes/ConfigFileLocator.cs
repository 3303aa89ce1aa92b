namespace VfsGateway.Cli.Remotes;

/// <summary>
/// Finds the config file: --config FILE, else $GATEWAY_CONFIG, else
/// $XDG_CONFIG_HOME/gateway/gateway.conf, else ~/.config/gateway/gateway.conf. A file named
/// explicitly must exist; the default one may be absent (then no remote is defined by name).
/// </summary>
internal static class ConfigFileLocator
{
    public const string EnvVar = "GATEWAY_CONFIG";

    public static (string Path, bool Explicit) Locate(string? flag, Func<string, string?> env)
    {
        if (!string.IsNullOrEmpty(flag))
        {
            return (flag, true);
        }

        if (env(EnvVar) is { Length: > 0 } fromEnv)
        {
            return (fromEnv, true);
        }

        var configHome = env("XDG_CONFIG_HOME");
        if (string.IsNullOrEmpty(configHome))
        {
            var home = env("HOME");
            if (string.IsNullOrEmpty(home))
            {
                home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            }

            configHome = Path.Combine(home, ".config");
        }

        return (Path.Combine(configHome, "gateway", "gateway.conf"), false);
    }

    public static IniFile Load(string? flag, Func<string, string?> env)
    {
        var (path, isExplicit) = Locate(flag, env);
        if (File.Exists(path))
        {
            return IniFile.Load(path);
        }

        if (isExplicit)
        {
            var how = string.IsNullOrEmpty(flag) ? $"${EnvVar}" : "--config";
            throw new CliException($"the config file '{path}' (from {how}) does not exist");
        }

        return IniFile.Empty(path);
    }
}
