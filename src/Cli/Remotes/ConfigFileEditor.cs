using System.Security.Cryptography;
using System.Text;

namespace VfsGateway.Cli.Remotes;

/// <summary>
/// Edits the config file by sections, keeping every other line (comments, other remotes) as it was,
/// and replaces the file atomically: a temporary file next to it (mode 0600, as the file holds
/// secrets) is written, flushed to disk and renamed over it, so a reader never sees half a file.
/// </summary>
internal static class ConfigFileEditor
{
    /// <summary>Writes section [name] with these lines, replacing one of the same name; true when it existed.</summary>
    public static bool SetSection(string path, string name, IReadOnlyList<KeyValuePair<string, string>> values)
    {
        var lines = ReadLines(path);
        var existed = RemoveSection(lines, name);
        TrimTrailingBlankLines(lines);

        if (lines.Count > 0)
        {
            lines.Add(string.Empty);
        }

        lines.Add($"[{name}]");
        lines.AddRange(values.Select(v => $"{v.Key} = {Quote(v.Value)}"));
        lines.Add(string.Empty);
        Write(path, lines);
        return existed;
    }

    /// <summary>Removes section [name]; false (and the file untouched) when there is none.</summary>
    public static bool DeleteSection(string path, string name)
    {
        var lines = ReadLines(path);
        if (!RemoveSection(lines, name))
        {
            return false;
        }

        TrimTrailingBlankLines(lines);
        Write(path, lines);
        return true;
    }

    /// <summary>
    /// The reader strips one pair of matching outer quotes and surrounding blanks, so a value that
    /// would lose something that way is written inside a pair of quotes (there is no escaping).
    /// </summary>
    private static string Quote(string value) =>
        value.Length > 0 && (char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1]) || value[0] is '"' or '\'')
            ? $"\"{value}\""
            : value;

    private static void TrimTrailingBlankLines(List<string> lines)
    {
        while (lines.Count > 0 && lines[^1].Trim().Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }
    }

    private static List<string> ReadLines(string path)
    {
        try
        {
            return File.Exists(path) ? [.. File.ReadAllLines(path)] : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read the config file '{path}': {e.Message}", e);
        }
    }

    private static bool RemoveSection(List<string> lines, string name)
    {
        var start = lines.FindIndex(l => IsHeader(l, out var n) && n == name);
        if (start < 0)
        {
            return false;
        }

        var end = start + 1;
        while (end < lines.Count && !IsHeader(lines[end], out _))
        {
            end++;
        }

        // Blank lines that separated the section from the next one go with it.
        lines.RemoveRange(start, end - start);
        while (start < lines.Count && start > 0 && lines[start].Trim().Length == 0 && lines[start - 1].Trim().Length == 0)
        {
            lines.RemoveAt(start);
        }

        return true;
    }

    private static bool IsHeader(string line, out string name)
    {
        var trimmed = line.Trim();
        var isHeader = trimmed.Length >= 3 && trimmed[0] == '[' && trimmed[^1] == ']';
        name = isHeader ? trimmed[1..^1].Trim() : string.Empty;
        return isHeader;
    }

    private static void Write(string path, List<string> lines)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        var temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        try
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(dir);
            }
            else
            {
                // The file holds secrets (obscured is not encrypted): 0600 whatever the umask, and a
                // new ~/.config/gateway is 0700, as rclone makes its config directory.
                if (!Directory.Exists(dir))
                {
                    Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                }

                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(temp, options))
            {
                using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
                writer.NewLine = "\n";
                foreach (var line in lines)
                {
                    writer.WriteLine(line);
                }

                writer.Flush();
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            DeleteQuietly(temp);
            throw new CliException($"cannot write the config file '{path}': {e.Message}", e);
        }
    }

    private static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The write error is the one to report.
        }
    }
}
