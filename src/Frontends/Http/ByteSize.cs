using System.Globalization;

namespace VfsGateway.Frontends.Http;

/// <summary>
/// Sizes on the command line (--max-size) and in the --acl file's quota lines: a number of bytes, or a number with a binary suffix
/// K/M/G/T/P (also written KB/KiB, MB/MiB, ...; any case), as rest-server and rclone read them:
/// "500K" is 500 × 1024 bytes. A fraction is allowed with a suffix ("1.5G"); the result is rounded
/// down to whole bytes.
/// </summary>
internal static class ByteSize
{
    public static bool TryParse(string? text, out long bytes, out string error)
    {
        bytes = 0;
        error = string.Empty;
        var s = text?.Trim() ?? string.Empty;
        if (s.Length == 0)
        {
            error = "size is empty";
            return false;
        }

        var end = 0;
        while (end < s.Length && (char.IsAsciiDigit(s[end]) || s[end] == '.'))
        {
            end++;
        }

        var number = s[..end];
        var suffix = s[end..].Trim();
        var shift = Shift(suffix);
        if (number.Length == 0 || shift < 0)
        {
            error = $"invalid size '{text}' (use bytes or a suffix: 500K, 500M, 2G, 1T, 2GiB)";
            return false;
        }

        if (shift == 0)
        {
            if (!long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out bytes))
            {
                error = $"invalid size '{text}' (a byte count must be a whole number below 2^63)";
                return false;
            }

            return true;
        }

        if (!decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            error = $"invalid size '{text}'";
            return false;
        }

        var multiplier = (decimal)(1L << shift);
        if (value > long.MaxValue / multiplier)
        {
            error = $"size '{text}' is too large";
            return false;
        }

        bytes = (long)decimal.Floor(value * multiplier);
        return true;
    }

    /// <summary>A size for messages: "10 GiB" when it is a whole number of a binary unit, else "1500 bytes".</summary>
    public static string FormatExact(long bytes)
    {
        string[] units = ["KiB", "MiB", "GiB", "TiB", "PiB"];
        var unit = -1;
        while (bytes != 0 && unit + 1 < units.Length && bytes % (1L << (10 * (unit + 2))) == 0)
        {
            unit++;
        }

        return unit < 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes")
            : string.Create(CultureInfo.InvariantCulture, $"{bytes >> (10 * (unit + 1))} {units[unit]}");
    }

    /// <summary>A size for people, as rclone prints it: "512 B", "1.500 KiB", "12.346 MiB".</summary>
    public static string Human(double bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
        var unit = 0;
        while (Math.Abs(bytes) >= 1024 && unit < units.Length - 1)
        {
            bytes /= 1024;
            unit++;
        }

        return unit == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes:0} B")
            : string.Create(CultureInfo.InvariantCulture, $"{bytes:0.000} {units[unit]}");
    }

    private static int Shift(string suffix)
    {
        var s = suffix.ToUpperInvariant();
        if (s is "" or "B")
        {
            return 0;
        }

        if (s.EndsWith("IB", StringComparison.Ordinal))
        {
            s = s[..^2];
        }
        else if (s.Length == 2 && s[1] == 'B')
        {
            s = s[..1];
        }

        return s switch
        {
            "K" => 10,
            "M" => 20,
            "G" => 30,
            "T" => 40,
            "P" => 50,
            _ => -1,
        };
    }
}
