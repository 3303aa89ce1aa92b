using System.Net;

namespace VfsGateway.Frontends.S3;

/// <summary>AWS's general-purpose bucket naming rules.</summary>
internal static class BucketNames
{
    public static bool IsValid(string name)
    {
        if (name.Length is < 3 or > 63)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '-'))
            {
                return false;
            }
        }

        if (!char.IsAsciiLetterOrDigit(name[0]) || !char.IsAsciiLetterOrDigit(name[^1]))
        {
            return false;
        }

        if (name.Contains("..", StringComparison.Ordinal) || name.Contains(".-", StringComparison.Ordinal) || name.Contains("-.", StringComparison.Ordinal))
        {
            return false;
        }

        // Reserved prefixes and suffixes (access points, Object Lambda, directory buckets).
        if (name.StartsWith("xn--", StringComparison.Ordinal) || name.StartsWith("sthree-", StringComparison.Ordinal) ||
            name.EndsWith("-s3alias", StringComparison.Ordinal) || name.EndsWith("--ol-s3", StringComparison.Ordinal) ||
            name.EndsWith(".mrap", StringComparison.Ordinal) || name.EndsWith("--x-s3", StringComparison.Ordinal))
        {
            return false;
        }

        return !(name.Count(c => c == '.') == 3 && IPAddress.TryParse(name, out _));
    }
}
