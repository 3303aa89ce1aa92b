using System.Globalization;
using VfsGateway.Vfs;

namespace VfsGateway.Backends;

/// <summary>Byte counts in backend options: "65536", "32k", "32KiB", "4M", "1G" (binary multiples).</summary>
internal static class OptionSize
{
    private static readonly (string Suffix, long Multiplier)[] Suffixes =
    [
        ("KiB", 1L << 10), ("MiB", 1L << 20), ("GiB", 1L << 30), ("KB", 1L << 10), ("MB", 1L << 20), ("GB", 1L << 30),
        ("K", 1L << 10), ("M", 1L << 20), ("G", 1L << 30), ("B", 1),
    ];

    /// <summary>Parses <paramref name="text"/>, or returns <paramref name="fallback"/> when it is empty; Invalid names the backend and option.</summary>
    public static long Parse(string? text, string backend, string option, long fallback)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        var s = text.Trim();
        long multiplier = 1;
        foreach (var (suffix, m) in Suffixes)
        {
            if (s.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                multiplier = m;
                s = s[..^suffix.Length];
                break;
            }
        }

        if (!long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > long.MaxValue / multiplier)
        {
            throw new VfsException(VfsErrorKind.Invalid, $"{backend} {option} '{text}' is not a size (e.g. 32k, 4M, 65536)");
        }

        return value * multiplier;
    }
}
