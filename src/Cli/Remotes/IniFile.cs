namespace VfsGateway.Cli.Remotes;

/// <summary>
/// The config file, shaped like rclone.conf: "[name]" starts a section, "key = value" lines
/// follow, lines starting with '#' or ';' are comments. Only whole-line comments exist, so a value
/// may contain '#' (passwords do). A value wrapped in matching ' or " quotes is unquoted, which is
/// how to keep leading or trailing spaces. Section names are case-sensitive (as in rclone), keys
/// are not. Errors name the file and line.
/// </summary>
internal sealed class IniFile
{
    private readonly Dictionary<string, Dictionary<string, string>> _sections;

    private IniFile(string source, Dictionary<string, Dictionary<string, string>> sections)
    {
        Source = source;
        _sections = sections;
    }

    /// <summary>The file name, for messages.</summary>
    public string Source { get; }

    public IEnumerable<string> SectionNames => _sections.Keys;

    public static IniFile Empty(string source) => new(source, new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal));

    public static IniFile Load(string path)
    {
        try
        {
            using var reader = new StreamReader(path);
            return Parse(reader, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read the config file '{path}': {e.Message}", e);
        }
    }

    public static IniFile Parse(TextReader reader, string source)
    {
        var sections = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        Dictionary<string, string>? current = null;
        string? currentName = null;
        var lineNumber = 0;
        while (reader.ReadLine() is { } raw)
        {
            lineNumber++;
            var line = raw.Trim();
            if (lineNumber == 1)
            {
                line = line.TrimStart('\uFEFF');
            }

            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }

            if (line[0] == '[')
            {
                if (line[^1] != ']' || line.Length < 3)
                {
                    throw Error(source, lineNumber, $"malformed section header '{line}' (expected '[name]')");
                }

                currentName = line[1..^1].Trim();
                if (!RemoteParser.IsValidName(currentName))
                {
                    throw Error(source, lineNumber, $"invalid remote name '{currentName}'");
                }

                current = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                if (!sections.TryAdd(currentName, current))
                {
                    throw Error(source, lineNumber, $"section [{currentName}] is defined twice");
                }

                continue;
            }

            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw Error(source, lineNumber, $"expected 'key = value', got '{line}'");
            }

            if (current is null)
            {
                throw Error(source, lineNumber, "'key = value' before the first [section]");
            }

            var key = line[..eq].Trim().Replace('-', '_');
            var value = Unquote(line[(eq + 1)..].Trim());
            if (!current.TryAdd(key, value))
            {
                throw Error(source, lineNumber, $"key '{key}' is set twice in section [{currentName}]");
            }
        }

        return new IniFile(source, sections);
    }

    public bool TryGetSection(string name, out IReadOnlyDictionary<string, string> section)
    {
        if (_sections.TryGetValue(name, out var s))
        {
            section = s;
            return true;
        }

        section = null!;
        return false;
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && value[0] is '"' or '\'' && value[^1] == value[0] ? value[1..^1] : value;

    private static CliException Error(string source, int line, string message) => new($"{source}:{line}: {message}");
}
