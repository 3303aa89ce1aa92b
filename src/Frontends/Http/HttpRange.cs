using System.Globalization;

namespace VfsGateway.Frontends.Http;

/// <summary>
/// Parses a single byte range ("bytes=S-E", "bytes=S-", "bytes=-N") against an object's size, for
/// both frontends (restic sends one range on every object GET; S3 clients read ranges of objects).
/// Several ranges (multipart/byteranges) and malformed headers are ignored and the whole object is
/// sent, as RFC 9110 §14.2 allows.
/// </summary>
internal static class HttpRange
{
    /// <summary>The kind of answer; for <see cref="RangeKind.Partial"/> the bytes to send (offset, count), else 0 and the size.</summary>
    public static RangeKind Parse(string? header, long size, out long offset, out long count)
    {
        offset = 0;
        count = size;
        if (string.IsNullOrEmpty(header))
        {
            return RangeKind.Full;
        }

        var spec = header.AsSpan().Trim();
        if (!spec.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase))
        {
            return RangeKind.Full;
        }

        spec = spec[6..].Trim();
        var dash = spec.IndexOf('-');
        if (dash < 0 || spec.Contains(','))
        {
            return RangeKind.Full;
        }

        var first = spec[..dash].Trim();
        var last = spec[(dash + 1)..].Trim();
        if (first.IsEmpty)
        {
            // Suffix range: the last N bytes.
            if (!TryParseNumber(last, out var suffix))
            {
                return RangeKind.Full;
            }

            if (suffix == 0 || size == 0)
            {
                return RangeKind.Unsatisfiable;
            }

            count = Math.Min(suffix, size);
            offset = size - count;
            return RangeKind.Partial;
        }

        if (!TryParseNumber(first, out var start))
        {
            return RangeKind.Full;
        }

        var end = long.MaxValue;
        if (!last.IsEmpty && (!TryParseNumber(last, out end) || end < start))
        {
            return RangeKind.Full;
        }

        if (start >= size)
        {
            return RangeKind.Unsatisfiable;
        }

        offset = start;
        count = Math.Min(end, size - 1) - start + 1;
        return RangeKind.Partial;
    }

    private static bool TryParseNumber(ReadOnlySpan<char> text, out long value) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
