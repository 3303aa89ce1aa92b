using System.Globalization;
using System.Text;

namespace VfsGateway.Backends.Sftp;

/// <summary>The remote syntax <c>[user@]host[:port][/path]</c>, sizes and shell-style word lists.</summary>
public sealed partial record SftpOptions
{
    /// <summary>
    /// Splits <c>[user@]host[:port][/path]</c>. The path keeps its leading '/', so
    /// <c>host/srv/data</c> is the absolute /srv/data; <c>host/~/data</c> (curl's convention) or
    /// no path at all is relative to the login directory.
    /// </summary>
    internal static (string? User, string Host, int? Port, string Path) ParseRemote(string root)
    {
        var slash = root.IndexOf('/', StringComparison.Ordinal);
        var authority = slash < 0 ? root : root[..slash];
        var path = slash < 0 ? string.Empty : root[slash..];

        string? user = null;
        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            user = authority[..at];
            authority = authority[(at + 1)..];
            if (user.Length == 0)
            {
                throw Invalid($"sftp remote '{root}': empty user name before '@'");
            }
        }

        string host;
        string? portText = null;
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw Invalid($"sftp remote '{root}': unclosed '[' in the host");
            }

            host = authority[1..close];
            var after = authority[(close + 1)..];
            if (after.Length > 0)
            {
                portText = after.StartsWith(':') ? after[1..] : throw Invalid($"sftp remote '{root}': unexpected '{after}' after the host");
            }
        }
        else
        {
            var colon = authority.IndexOf(':', StringComparison.Ordinal);
            host = colon < 0 ? authority : authority[..colon];
            portText = colon < 0 ? null : authority[(colon + 1)..];
        }

        if (host.Length == 0)
        {
            throw Invalid($"sftp remote '{root}' has no host: use sftp:[user@]host[:port]/path");
        }

        int? port = null;
        if (portText is not null)
        {
            port = ParsePort(portText) ?? throw Invalid($"sftp remote '{root}': empty port after ':'");
        }

        return (user, host, port, NormalizeRootPath(path));
    }

    /// <summary>"" and "~" are the login directory, "~/x" and "x" are relative to it, "/x" is absolute; trailing slashes go.</summary>
    internal static string NormalizeRootPath(string path)
    {
        if (path is "/~" or "~" || path.StartsWith("/~/", StringComparison.Ordinal))
        {
            path = path.Length <= 3 ? string.Empty : path[3..];
        }
        else if (path.StartsWith("~/", StringComparison.Ordinal))
        {
            path = path[2..];
        }

        var trimmed = path.TrimEnd('/');
        return trimmed.Length == 0 && path.StartsWith('/') ? "/" : trimmed;
    }

    internal static int? ParsePort(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            ? port
            : throw Invalid($"sftp port '{text}' is not a number (for a path relative to the login directory write host/~/path)");
    }

    /// <summary>A byte count: "65536", "32k", "32KiB", "1M" (binary multiples).</summary>
    internal static int ParseSize(string? text, string option, int fallback)
    {
        var size = OptionSize.Parse(text, "sftp", option, fallback);
        return size <= int.MaxValue ? (int)size : throw Invalid($"sftp {option} '{text}' is too large");
    }

    /// <summary>Splits a command line the way sh does for words: spaces separate, quotes group, backslash escapes.</summary>
    internal static IReadOnlyList<string> SplitWords(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '\'':
                    var close = text.IndexOf('\'', i + 1);
                    if (close < 0)
                    {
                        throw Invalid("unclosed ' in an sftp ssh or ssh_options value");
                    }

                    word.Append(text, i + 1, close - i - 1);
                    i = close;
                    inWord = true;
                    break;
                case '"':
                    i++;
                    while (i < text.Length && text[i] != '"')
                    {
                        if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] is '"' or '\\' or '$' or '`')
                        {
                            i++;
                        }

                        word.Append(text[i++]);
                    }

                    if (i >= text.Length)
                    {
                        throw Invalid("unclosed \" in an sftp ssh or ssh_options value");
                    }

                    inWord = true;
                    break;
                case '\\' when i + 1 < text.Length:
                    word.Append(text[++i]);
                    inWord = true;
                    break;
                case var _ when char.IsWhiteSpace(c):
                    if (inWord)
                    {
                        words.Add(word.ToString());
                        word.Clear();
                        inWord = false;
                    }

                    break;
                default:
                    word.Append(c);
                    inWord = true;
                    break;
            }
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }
}
