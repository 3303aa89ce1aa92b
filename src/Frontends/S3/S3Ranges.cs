using System.Globalization;
using VfsGateway.Vfs;

namespace VfsGateway.Frontends.S3;

/// <summary>The Range header as S3 reads it: one byte range; anything it cannot parse is ignored (RFC 9110 §14.2).</summary>
internal static class S3Ranges
{
    /// <summary>Returns the resolved range (Length always set), null for the whole object; throws InvalidRange (416) when unsatisfiable.</summary>
    public static ByteRange? Parse(string? header, long size)
    {
        if (header is null || !header.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var spec = header["bytes=".Length..].Trim();
        var dash = spec.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0 || spec.Contains(',', StringComparison.Ordinal))
        {
            return null;
        }

        var first = spec[..dash].Trim();
        var last = spec[(dash + 1)..].Trim();
        if (first.Length == 0)
        {
            if (!TryParse(last, out var suffix))
            {
                return null;
            }

            if (suffix == 0 || size == 0)
            {
                throw new S3Exception(S3Error.InvalidRange);
            }

            var length = Math.Min(suffix, size);
            return new ByteRange(size - length, length);
        }

        if (!TryParse(first, out var start))
        {
            return null;
        }

        long end;
        if (last.Length == 0)
        {
            end = size - 1;
        }
        else if (!TryParse(last, out end) || end < start)
        {
            return null;
        }

        if (start >= size)
        {
            throw new S3Exception(S3Error.InvalidRange);
        }

        end = Math.Min(end, size - 1);
        return new ByteRange(start, end - start + 1);
    }

    private static bool TryParse(string text, out long value) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
