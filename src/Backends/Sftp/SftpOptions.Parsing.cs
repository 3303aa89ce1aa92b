using System.Globalization;
using System.Text;

namespace VfsGateway.Backends.Sftp;

/// <summary>The remote syntax (shared with ftp in <see cref="HostRemote"/>), sizes and shell-style word lists.</summary>
public sealed partial record SftpOptions
{
    /// <summary>Splits <c>[user@]host[:port][/path]</c> (see <see cref="HostRemote.Parse"/>).</summary>
    internal static (string? User, string Host, int? Port, string Path) ParseRemote(string root) => HostRemote.Parse(root, "sftp");

    /// <summary>"" and "~" are the login directory, "~/x" and "x" are relative to it, "/x" is absolute; trailing slashes go.</summary>
    internal static string NormalizeRootPath(string path) => HostRemote.NormalizeRootPath(path);

    internal static int? ParsePort(string? text) => HostRemote.ParsePort(text, "sftp");

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
