using System.Globalization;

namespace VfsGateway.Cli.Parsing;

/// <summary>
/// Durations on the command line as rclone writes them: "5s", "1m", "1h30m", "500ms", "2d", "1.5h",
/// "0" (zero) or a plain number of seconds.
/// </summary>
internal static class Duration
{
    public static bool TryParse(string? text, out TimeSpan duration, out string error)
    {
        duration = TimeSpan.Zero;
        error = string.Empty;
        var s = text?.Trim() ?? string.Empty;
        if (s.Length == 0)
        {
            error = "duration is empty";
            return false;
        }

        if (double.TryParse(s, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var plainSeconds))
        {
            duration = TimeSpan.FromSeconds(plainSeconds);
            return true;
        }

        var i = 0;
        var total = 0.0;
        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
            {
                i++;
            }

            var unitStart = i;
            while (i < s.Length && char.IsAsciiLetter(s[i]))
            {
                i++;
            }

            if (!double.TryParse(s.AsSpan(start, unitStart - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            {
                error = $"invalid duration '{text}' (use e.g. 500ms, 5s, 1m, 1h30m, 2d)";
                return false;
            }

            double? unitMs = s[unitStart..i] switch
            {
                "ms" => 1,
                "s" => 1000,
                "m" => 60_000,
                "h" => 3_600_000,
                "d" => 86_400_000,
                _ => null,
            };
            if (unitMs is not { } factor)
            {
                error = $"invalid duration '{text}' (units: ms, s, m, h, d)";
                return false;
            }

            total += value * factor;
        }

        duration = TimeSpan.FromMilliseconds(total);
        return true;
    }
}
