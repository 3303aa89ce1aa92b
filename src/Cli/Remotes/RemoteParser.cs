using System.Text;

namespace VfsGateway.Cli.Remotes;

/// <summary>
/// Parses remote strings the way rclone does (fspath.Parse): "name:path", ":type:path",
/// "name,key=value,key2='v:2':path", or a bare local path. Whatever comes before the first ':' must
/// be a valid remote name, otherwise the whole string is a local path ("./a:b", "/srv/x:y").
/// Option values may be quoted with ' or " so that they can contain ',' and ':'; inside quotes the
/// quote character is written twice. A key without "=value" means "true". Syntax errors are usage
/// errors (exit code 2).
/// </summary>
internal static class RemoteParser
{
    public static RemoteString Parse(string remote)
    {
        if (string.IsNullOrEmpty(remote))
        {
            throw CliException.Usage("the remote is empty (use e.g. local:/srv/restic, /srv/restic or memory:)");
        }

        var empty = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (remote[0] == ':')
        {
            var end = IndexOfDelimiter(remote, 1);
            var type = remote[1..end];
            if (!IsValidName(type))
            {
                throw CliException.Usage($"inline remote '{remote}' needs a backend type after the leading ':' (e.g. ':memory:' or ':sftp,host=nas:backup')");
            }

            return ParseRest(remote, type, end, inline: true);
        }

        var first = IndexOfDelimiter(remote, 0);
        if (first == remote.Length || !IsValidName(remote[..first]))
        {
            return new RemoteString("local", remote, empty, IsInline: false, IsBarePath: true);
        }

        return ParseRest(remote, remote[..first], first, inline: false);
    }

    /// <summary>rclone's config name rule: word characters, '.', '+', '@', and inner '-' or spaces.</summary>
    public static bool IsValidName(string name)
    {
        if (name.Length == 0 || name[0] is '-' or ' ' || name[^1] == ' ')
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsLetterOrDigit(c) || c is '_' or '.' or '+' or '@' or '-' or ' '))
            {
                return false;
            }
        }

        return true;
    }

    private static int IndexOfDelimiter(string s, int start)
    {
        var i = s.IndexOfAny([',', ':'], start);
        return i < 0 ? s.Length : i;
    }

    private static RemoteString ParseRest(string remote, string name, int pos, bool inline)
    {
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        while (pos < remote.Length && remote[pos] == ',')
        {
            pos++;
            var keyEnd = remote.IndexOfAny(['=', ',', ':'], pos);
            if (keyEnd < 0)
            {
                keyEnd = remote.Length;
            }

            var key = remote[pos..keyEnd];
            if (!IsValidKey(key))
            {
                throw CliException.Usage($"remote '{remote}': invalid option name '{key}' (options are written key=value, separated by ',')");
            }

            pos = keyEnd;
            string value;
            if (pos < remote.Length && remote[pos] == '=')
            {
                pos++;
                (value, pos) = ReadValue(remote, pos);
            }
            else
            {
                value = "true";
            }

            if (!options.TryAdd(key.Replace('-', '_'), value))
            {
                throw CliException.Usage($"remote '{remote}': option '{key}' is given twice");
            }
        }

        if (pos >= remote.Length || remote[pos] != ':')
        {
            throw CliException.Usage(inline
                ? $"inline remote '{remote}' must end its type and options with ':' before the path (e.g. ':{name}:' or ':{name},key=value:path')"
                : $"remote '{remote}' must end its options with ':' before the path (e.g. '{name},key=value:path')");
        }

        return new RemoteString(name, remote[(pos + 1)..], options, inline, IsBarePath: false);
    }

    private static (string Value, int Next) ReadValue(string remote, int pos)
    {
        if (pos < remote.Length && remote[pos] is '\'' or '"')
        {
            var quote = remote[pos];
            var sb = new StringBuilder();
            pos++;
            while (true)
            {
                if (pos >= remote.Length)
                {
                    throw CliException.Usage($"remote '{remote}': unterminated {quote} quote in an option value");
                }

                if (remote[pos] == quote)
                {
                    if (pos + 1 < remote.Length && remote[pos + 1] == quote)
                    {
                        sb.Append(quote);
                        pos += 2;
                        continue;
                    }

                    pos++;
                    break;
                }

                sb.Append(remote[pos]);
                pos++;
            }

            if (pos < remote.Length && remote[pos] is not (',' or ':'))
            {
                throw CliException.Usage($"remote '{remote}': unexpected '{remote[pos]}' after a quoted option value (expected ',' or ':')");
            }

            return (sb.ToString(), pos);
        }

        var end = IndexOfDelimiter(remote, pos);
        var value = remote[pos..end];
        if (value.Contains('\'', StringComparison.Ordinal) || value.Contains('"', StringComparison.Ordinal))
        {
            throw CliException.Usage($"remote '{remote}': a quote inside the option value '{value}' must start the value (quote the whole value)");
        }

        return (value, end);
    }

    private static bool IsValidKey(string key) =>
        key.Length > 0 && char.IsAsciiLetter(key[0]) && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
}
