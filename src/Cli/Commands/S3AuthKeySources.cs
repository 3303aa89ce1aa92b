using VfsGateway.Cli.Remotes;
using VfsGateway.Frontends.S3;

namespace VfsGateway.Cli.Commands;

/// <summary>
/// Where <c>serve s3</c> finds its access keys. A secret on the command line is visible to every
/// user through <c>ps</c>, so keys may also come from a file (<c>--auth-key-file</c>, one
/// <c>ACCESS,SECRET</c> per line: the preferred way), the config file's <c>[serve s3]</c> section
/// (<c>auth_key = ACCESS,SECRET</c>, several separated by spaces), or <c>$GATEWAY_AUTH_KEY</c>
/// (one or more separated by ';' or newlines). All sources add up; an access key id given twice
/// with different secrets is an error. Messages name the source and line, never a secret.
/// </summary>
internal static class S3AuthKeySources
{
    public const string EnvVar = "GATEWAY_AUTH_KEY";

    /// <summary>The config file section holding the server's own settings for <c>serve s3</c>.</summary>
    public const string ConfigSection = "serve s3";

    public static IReadOnlyList<S3AccessKey> Collect(IEnumerable<string> flags, string? keyFile, Func<string, string?> env, Func<IniFile> config)
    {
        var keys = new List<(S3AccessKey Key, string Source)>();
        foreach (var flag in flags)
        {
            keys.Add((Parse(flag, "--auth-key"), "--auth-key"));
        }

        if (!string.IsNullOrEmpty(keyFile))
        {
            keys.AddRange(ReadFile(keyFile));
        }

        if (env(EnvVar) is { Length: > 0 } fromEnv)
        {
            foreach (var entry in fromEnv.Split([';', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                keys.Add((Parse(entry, $"${EnvVar}"), $"${EnvVar}"));
            }
        }

        var file = config();
        if (file.TryGetSection(ConfigSection, out var section) && section.TryGetValue("auth_key", out var fromConfig))
        {
            var source = $"{file.Source} [{ConfigSection}] auth_key";
            foreach (var entry in fromConfig.Split([' ', '\t', ';'], StringSplitOptions.RemoveEmptyEntries))
            {
                keys.Add((Parse(entry, source), source));
            }
        }

        var byId = new Dictionary<string, (S3AccessKey Key, string Source)>(StringComparer.Ordinal);
        foreach (var (key, source) in keys)
        {
            if (byId.TryGetValue(key.AccessKeyId, out var seen))
            {
                if (seen.Key.SecretAccessKey != key.SecretAccessKey)
                {
                    throw CliException.Usage($"access key id '{key.AccessKeyId}' has two different secrets ({seen.Source} and {source})");
                }

                continue;
            }

            byId.Add(key.AccessKeyId, (key, source));
        }

        return [.. byId.Values.Select(v => v.Key)];
    }

    /// <summary>Reads an --auth-key-file: one ACCESS,SECRET per line; blank lines and lines starting with '#' are skipped.</summary>
    public static IEnumerable<(S3AccessKey Key, string Source)> ReadFile(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read --auth-key-file '{path}': {e.Message}", e);
        }

        var result = new List<(S3AccessKey, string)>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var source = $"{path}:{i + 1}";
            result.Add((Parse(line, source), source));
        }

        if (result.Count == 0)
        {
            throw new CliException($"--auth-key-file '{path}' holds no keys (one ACCESS_KEY_ID,SECRET_ACCESS_KEY per line)");
        }

        return result;
    }

    private static S3AccessKey Parse(string value, string source)
    {
        try
        {
            return S3AccessKey.Parse(value);
        }
        catch (FormatException e)
        {
            throw CliException.Usage($"{source}: {e.Message}");
        }
    }
}
