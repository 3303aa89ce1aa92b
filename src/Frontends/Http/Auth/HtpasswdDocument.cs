using System.Text;

namespace VfsGateway.Frontends.Http.Auth;

/// <summary>
/// An htpasswd file as lines: "user:hash" entries, comments ('#') and blank lines. Editing
/// keeps every line it does not touch, so operators' comments survive `gateway htpasswd add`.
/// </summary>
internal sealed class HtpasswdDocument
{
    /// <summary>Larger files are refused: an htpasswd file with a million users is a mistake, not a config.</summary>
    public const int MaxBytes = 16 * 1024 * 1024;

    private readonly List<string> _lines;

    private HtpasswdDocument(List<string> lines) => _lines = lines;

    public static HtpasswdDocument Empty => new([]);

    /// <summary>The entries in file order; lines without a ':' and comments are skipped.</summary>
    public IEnumerable<HtpasswdEntry> Entries
    {
        get
        {
            foreach (var line in _lines)
            {
                if (TryParseLine(line, out var entry))
                {
                    yield return entry;
                }
            }
        }
    }

    public static HtpasswdDocument Parse(string text)
    {
        var lines = new List<string>();
        foreach (var range in text.AsSpan().Split('\n'))
        {
            lines.Add(text.AsSpan(range).TrimEnd('\r').ToString());
        }

        // A trailing newline is not a blank line of its own.
        if (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return new HtpasswdDocument(lines);
    }

    /// <summary>Reads a file's text; the caller decides what a missing file means.</summary>
    public static string ReadText(string path)
    {
        using var stream = Open(path, useAsync: false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    public static async Task<string> ReadTextAsync(string path, CancellationToken cancellationToken)
    {
        var stream = Open(path, useAsync: true);
        await using (stream.ConfigureAwait(false))
        {
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Parses "user:hash" (fields after a further ':' are ignored, as Apache does).</summary>
    public static bool TryParseLine(string line, out HtpasswdEntry entry)
    {
        entry = default;
        var span = line.AsSpan().Trim();
        if (span.IsEmpty || span[0] == '#')
        {
            return false;
        }

        var colon = span.IndexOf(':');
        if (colon <= 0)
        {
            return false;
        }

        var hash = span[(colon + 1)..];
        var end = hash.IndexOf(':');
        if (end >= 0)
        {
            hash = hash[..end];
        }

        entry = new HtpasswdEntry(span[..colon].TrimEnd().ToString(), hash.Trim().ToString());
        return true;
    }

    /// <summary>Replaces the user's first line (dropping later duplicates) or appends one; true when the user existed.</summary>
    public bool Set(string user, string hash)
    {
        var line = user + ":" + hash;
        var index = _lines.FindIndex(l => IsLineOf(l, user));
        if (index < 0)
        {
            _lines.Add(line);
            return false;
        }

        _lines[index] = line;
        for (var i = _lines.Count - 1; i > index; i--)
        {
            if (IsLineOf(_lines[i], user))
            {
                _lines.RemoveAt(i);
            }
        }

        return true;
    }

    /// <summary>Removes every line of the user; true when there was one.</summary>
    public bool Remove(string user) => _lines.RemoveAll(l => IsLineOf(l, user)) > 0;

    public string ToText()
    {
        var builder = new StringBuilder();
        foreach (var line in _lines)
        {
            builder.Append(line).Append('\n');
        }

        return builder.ToString();
    }

    private static bool IsLineOf(string line, string user) =>
        TryParseLine(line, out var entry) && string.Equals(entry.User, user, StringComparison.Ordinal);

    private static FileStream Open(string path, bool useAsync)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 4096, useAsync);
        if (stream.Length > MaxBytes)
        {
            stream.Dispose();
            throw new InvalidDataException($"{path} is larger than {MaxBytes} bytes; that is not an htpasswd file");
        }

        return stream;
    }
}
