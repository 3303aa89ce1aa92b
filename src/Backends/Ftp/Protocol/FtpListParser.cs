using System.Globalization;

namespace VfsGateway.Backends.Ftp.Protocol;

/// <summary>
/// Parses directory listings: RFC 3659 MLSD/MLST fact lines, and the LIST formats servers really
/// send (RFC 959 leaves LIST free-form): Unix `ls -l` lines (vsftpd, pure-ftpd, proftpd, with or
/// without the group column, recent "HH:MM" or old "YYYY" dates) and DOS/IIS lines. Lines that
/// describe nothing usable ("total 12", ".", "..", devices) yield null.
/// </summary>
internal static class FtpListParser
{
    private static readonly string[] Months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    /// <summary>An MLSD line or the fact line of an MLST reply: "type=file;size=3;modify=20260101120000; name".</summary>
    public static FtpListEntry? ParseMlsd(string line) => ParseMlsd(line, acceptCurrentDir: false);

    /// <summary>As <see cref="ParseMlsd(string)"/>; <paramref name="acceptCurrentDir"/> reads "cdir" (what MLST of a directory may say) as a directory.</summary>
    public static FtpListEntry? ParseMlsd(string line, bool acceptCurrentDir)
    {
        // Facts contain no space; exactly one space separates them from the name (RFC 3659 §7.2).
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0 || space == line.Length - 1)
        {
            return null;
        }

        var name = line[(space + 1)..];
        FtpEntryKind? kind = null;
        long size = 0;
        DateTimeOffset? modTime = null;
        foreach (var fact in line.AsSpan(0, space).ToString().Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = fact.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }

            var key = fact[..eq].ToLowerInvariant();
            var value = fact[(eq + 1)..];
            switch (key)
            {
                case "type":
                    kind = value.ToLowerInvariant() switch
                    {
                        "file" => FtpEntryKind.File,
                        "dir" => FtpEntryKind.Directory,
                        "cdir" when acceptCurrentDir => FtpEntryKind.Directory,
                        "cdir" or "pdir" => null,
                        var v when v.StartsWith("os.unix=slink", StringComparison.Ordinal) || v.StartsWith("os.unix=symlink", StringComparison.Ordinal) => FtpEntryKind.Symlink,
                        _ => null,
                    };
                    if (kind is null)
                    {
                        return null;
                    }

                    break;
                case "size":
                    _ = long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out size);
                    break;
                case "modify":
                    modTime = ParseTimeVal(value);
                    break;
            }
        }

        // A path-qualified name (some MLST replies) keeps only its last segment.
        var slash = name.LastIndexOf('/');
        if (slash >= 0 && slash < name.Length - 1)
        {
            name = name[(slash + 1)..];
        }

        return kind is { } k && (acceptCurrentDir || name is not ("." or "..")) ? new FtpListEntry(name, k, k == FtpEntryKind.Directory ? 0 : size, modTime) : null;
    }

    /// <summary>RFC 3659 time-val "YYYYMMDDHHMMSS[.sss]" in UTC (also what MDTM answers).</summary>
    public static DateTimeOffset? ParseTimeVal(string value)
    {
        var main = value.Length >= 14 ? value[..14] : value;
        if (!DateTime.TryParseExact(main, "yyyyMMddHHmmss", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time))
        {
            return null;
        }

        var result = new DateTimeOffset(time, TimeSpan.Zero);
        if (value.Length > 15 && value[14] == '.' &&
            int.TryParse(value.AsSpan(15, Math.Min(3, value.Length - 15)), NumberStyles.None, CultureInfo.InvariantCulture, out var fraction))
        {
            var digits = Math.Min(3, value.Length - 15);
            result = result.AddMilliseconds(fraction * (digits switch { 1 => 100, 2 => 10, _ => 1 }));
        }

        return result;
    }

    /// <summary>One LIST line, Unix or DOS style; <paramref name="now"/> places "Mon DD HH:MM" dates in a year.</summary>
    public static FtpListEntry? ParseList(string line, DateTimeOffset now)
    {
        if (line.Length == 0)
        {
            return null;
        }

        var entry = char.IsAsciiDigit(line[0]) ? ParseDos(line) : ParseUnix(line, now);
        return entry is { Name: not ("." or "..") } ? entry : null;
    }

    private static FtpListEntry? ParseUnix(string line, DateTimeOffset now)
    {
        var kind = line[0] switch
        {
            '-' => FtpEntryKind.File,
            'd' => FtpEntryKind.Directory,
            'l' => FtpEntryKind.Symlink,
            _ => (FtpEntryKind?)null, // "total N", devices, pipes, sockets
        };
        if (kind is null)
        {
            return null;
        }

        var tokens = Tokens(line, 12);

        // Owner/group columns vary (numeric ids, a missing group, spaces in names on some
        // servers): anchor on the date, "Mon DD (HH:MM|YYYY)", with the size just before it.
        for (var i = 2; i + 2 < tokens.Count; i++)
        {
            var month = MonthIndex(line, tokens[i]);
            if (month < 0 || !TryInt(line, tokens[i + 1], out var day) || day is < 1 or > 31 ||
                !TryLong(line, tokens[i - 1], out var size))
            {
                continue;
            }

            var timeOrYear = line[tokens[i + 2].Start..tokens[i + 2].End];
            DateTimeOffset modTime;
            if (timeOrYear.Contains(':', StringComparison.Ordinal))
            {
                var parts = timeOrYear.Split(':');
                if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var hour) ||
                    !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minute) || hour > 23 || minute > 59)
                {
                    continue;
                }

                // A recent file (ls shows times for the last ~6 months): this year, or last year when that would be in the future.
                var year = now.Year;
                if (!TryDate(year, month + 1, day, hour, minute, out modTime))
                {
                    continue;
                }

                if (modTime > now.AddDays(2) && TryDate(year - 1, month + 1, day, hour, minute, out var lastYear))
                {
                    modTime = lastYear;
                }
            }
            else if (!int.TryParse(timeOrYear, NumberStyles.None, CultureInfo.InvariantCulture, out var y) || !TryDate(y, month + 1, day, 0, 0, out modTime))
            {
                continue;
            }

            // Exactly one space separates the date from the name, so names may start with spaces.
            var nameStart = tokens[i + 2].End + 1;
            if (nameStart >= line.Length)
            {
                return null;
            }

            var name = line[nameStart..];
            string? target = null;
            if (kind == FtpEntryKind.Symlink)
            {
                var arrow = name.IndexOf(" -> ", StringComparison.Ordinal);
                if (arrow > 0)
                {
                    target = name[(arrow + 4)..];
                    name = name[..arrow];
                }
            }

            return new FtpListEntry(name, kind.Value, kind == FtpEntryKind.File ? size : 0, modTime, target);
        }

        return null;
    }

    /// <summary>IIS/DOS: "12-05-26  07:30AM       &lt;DIR&gt;          name" or "...  1234 name".</summary>
    private static FtpListEntry? ParseDos(string line)
    {
        var tokens = Tokens(line, 4);
        if (tokens.Count < 4)
        {
            return null;
        }

        var date = line[tokens[0].Start..tokens[0].End];
        var time = line[tokens[1].Start..tokens[1].End];
        string[] formats = ["MM-dd-yy h:mmtt", "MM-dd-yyyy h:mmtt", "MM-dd-yy H:mm", "MM-dd-yyyy H:mm", "yyyy-MM-dd H:mm"];
        if (!DateTime.TryParseExact($"{date} {time}", formats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var stamp))
        {
            return null;
        }

        var sizeOrDir = line[tokens[2].Start..tokens[2].End];
        var name = line[tokens[3].Start..];
        var modTime = new DateTimeOffset(stamp, TimeSpan.Zero);
        if (sizeOrDir.Equals("<DIR>", StringComparison.OrdinalIgnoreCase))
        {
            return new FtpListEntry(name, FtpEntryKind.Directory, 0, modTime);
        }

        return long.TryParse(sizeOrDir.Replace(",", string.Empty, StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out var size)
            ? new FtpListEntry(name, FtpEntryKind.File, size, modTime)
            : null;
    }

    private static List<(int Start, int End)> Tokens(string line, int max)
    {
        var tokens = new List<(int, int)>(max);
        var i = 0;
        while (i < line.Length && tokens.Count < max)
        {
            while (i < line.Length && line[i] == ' ')
            {
                i++;
            }

            if (i >= line.Length)
            {
                break;
            }

            var start = i;
            while (i < line.Length && line[i] != ' ')
            {
                i++;
            }

            tokens.Add((start, i));
        }

        return tokens;
    }

    private static int MonthIndex(string line, (int Start, int End) token) =>
        token.End - token.Start == 3 ? Array.IndexOf(Months, line[token.Start..token.End].ToLowerInvariant()) : -1;

    private static bool TryInt(string line, (int Start, int End) token, out int value) =>
        int.TryParse(line.AsSpan(token.Start, token.End - token.Start), NumberStyles.None, CultureInfo.InvariantCulture, out value);

    private static bool TryLong(string line, (int Start, int End) token, out long value) =>
        long.TryParse(line.AsSpan(token.Start, token.End - token.Start), NumberStyles.None, CultureInfo.InvariantCulture, out value);

    private static bool TryDate(int year, int month, int day, int hour, int minute, out DateTimeOffset value)
    {
        value = default;
        if (year is < 1 or > 9999 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        value = new DateTimeOffset(year, month, day, hour, minute, 0, TimeSpan.Zero);
        return true;
    }
}
