using System.Globalization;

namespace VfsGateway.Vfs;

/// <summary>
/// rclone's --bwlimit: the most bytes per second that may flow to the backend (upload) and from it
/// (download); null is no limit. Written "RATE" (both directions) or "UP:DOWN", each a size with
/// rclone's suffixes — B, K, M, G, T, P, binary, a bare number is KiB — or "off": "10M" is 10 MiB/s
/// both ways, "10M:100M" 10 MiB/s up and 100 MiB/s down, "off:1M" limits downloads only. A rate of
/// 0 is no limit, as in rclone. rclone's timetables ("08:00,512k 19:00,off") are not supported.
/// </summary>
public sealed record BandwidthLimit(long? UploadBytesPerSecond, long? DownloadBytesPerSecond)
{
    public static BandwidthLimit Off { get; } = new(null, null);

    public bool IsOff => UploadBytesPerSecond is null && DownloadBytesPerSecond is null;

    /// <summary>Parses rclone's --bwlimit forms; <paramref name="error"/> says what is wrong otherwise.</summary>
    public static bool TryParse(string? text, out BandwidthLimit limit, out string error)
    {
        limit = Off;
        error = string.Empty;
        var s = text?.Trim() ?? string.Empty;
        if (s.Length == 0)
        {
            error = "--bwlimit is empty (use a rate such as 10M, UP:DOWN such as 10M:100M, or off)";
            return false;
        }

        if (s.Contains(' ', StringComparison.Ordinal) || s.Contains(',', StringComparison.Ordinal))
        {
            error = $"--bwlimit '{text}': bandwidth timetables are not supported (use one rate, or UP:DOWN)";
            return false;
        }

        var parts = s.Split(':');
        if (parts.Length > 2)
        {
            error = $"--bwlimit '{text}': expected RATE or UP:DOWN";
            return false;
        }

        if (!TryParseRate(parts[0], out var up, out error) || !TryParseRate(parts[^1], out var down, out error))
        {
            error = $"--bwlimit '{text}': {error}";
            return false;
        }

        limit = new BandwidthLimit(up, down);
        return true;
    }

    /// <summary>rclone's form: "10M", "off", or "10M:100M" when the directions differ.</summary>
    public override string ToString() =>
        UploadBytesPerSecond == DownloadBytesPerSecond ? Format(UploadBytesPerSecond) : $"{Format(UploadBytesPerSecond)}:{Format(DownloadBytesPerSecond)}";

    private static bool TryParseRate(string text, out long? bytesPerSecond, out string error)
    {
        bytesPerSecond = null;
        error = string.Empty;
        var s = text.Trim();
        if (s.Equals("off", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var end = 0;
        while (end < s.Length && (char.IsAsciiDigit(s[end]) || s[end] == '.'))
        {
            end++;
        }

        var shift = Shift(s[end..]);
        if (end == 0 || shift < 0 || !decimal.TryParse(s[..end], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            error = $"invalid rate '{text}' (a size per second with a suffix B, K, M, G, T or P — a bare number is KiB — or off)";
            return false;
        }

        var multiplier = (decimal)(1L << shift);
        if (value > long.MaxValue / multiplier)
        {
            error = $"rate '{text}' is too large";
            return false;
        }

        var bytes = (long)decimal.Floor(value * multiplier);
        bytesPerSecond = bytes > 0 ? bytes : null;
        if (bytes == 0 && value > 0)
        {
            error = $"rate '{text}' is below one byte per second";
            return false;
        }

        return true;
    }

    /// <summary>The binary shift of a suffix: rclone's single letters, also with "i", "iB" or "B" after them ("10MiB").</summary>
    private static int Shift(string suffix)
    {
        var s = suffix.ToUpperInvariant();
        if (s.Length == 0)
        {
            return 10;
        }

        if (s == "B")
        {
            return 0;
        }

        if (s.Length > 1 && s[1..] is "I" or "IB" or "B")
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

    private static string Format(long? bytesPerSecond)
    {
        if (bytesPerSecond is not { } b)
        {
            return "off";
        }

        string[] suffixes = ["B", "K", "M", "G", "T", "P"];
        var i = 0;
        while (i < suffixes.Length - 1 && b % 1024 == 0 && b >= 1024)
        {
            b /= 1024;
            i++;
        }

        return b.ToString(CultureInfo.InvariantCulture) + suffixes[i];
    }
}
