using System.Text;
using VfsGateway.Vfs;

namespace VfsGateway.Backends.AzureBlob;

/// <summary>Container names and the reversible encoding of user-metadata names into Azure metadata names.</summary>
internal static class AzureBlobNames
{
    /// <summary>Names of this prefix are the backend's own (S3 ETag, mtime, headers Azure has no field for).</summary>
    public const string ReservedPrefix = "gw";

    /// <summary>An encoded name: "gwe_" then the name with every byte outside [a-z0-9] written as "_xx".</summary>
    private const string EncodedPrefix = "gwe_";

    /// <summary>A name whose value is not printable ASCII: "gwb_" + the encoded name, the value base64 of its UTF-8.</summary>
    private const string Base64ValuePrefix = "gwb_";

    /// <summary>Throws Invalid unless <paramref name="name"/> is a valid container name (3-63 of a-z, 0-9, '-', no "--", no '-' at either end).</summary>
    public static void CheckContainer(string name)
    {
        var valid = name.Length is >= 3 and <= 63
            && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
            && name[0] != '-' && name[^1] != '-'
            && !name.Contains("--", StringComparison.Ordinal);
        if (!valid)
        {
            throw new VfsException(
                VfsErrorKind.Invalid,
                $"'{name}' is not a valid Azure container name (3-63 lower-case letters, digits and single dashes, starting and ending with a letter or digit)",
                name);
        }
    }

    public static bool IsValidContainer(string name)
    {
        try
        {
            CheckContainer(name);
            return true;
        }
        catch (VfsException)
        {
            return false;
        }
    }

    /// <summary>The Azure metadata (name, value) for one user-metadata entry; names and values Azure refuses are encoded reversibly.</summary>
    public static (string Name, string Value) EncodeUserMetadata(string name, string value)
    {
        var encodedName = IsPlainName(name) ? name : EncodedPrefix + Escape(name);
        return IsPlainValue(value)
            ? (encodedName, value)
            : (Base64ValuePrefix + Escape(name), Convert.ToBase64String(Encoding.UTF8.GetBytes(value)));
    }

    /// <summary>The user-metadata entry an Azure metadata entry stands for, or null for the backend's own reserved names.</summary>
    public static (string Name, string Value)? DecodeUserMetadata(string name, string value)
    {
        var lower = name.ToLowerInvariant();
        if (lower.StartsWith(EncodedPrefix, StringComparison.Ordinal))
        {
            return Unescape(lower[EncodedPrefix.Length..]) is { } n ? (n, value) : null;
        }

        if (lower.StartsWith(Base64ValuePrefix, StringComparison.Ordinal))
        {
            try
            {
                return Unescape(lower[Base64ValuePrefix.Length..]) is { } n ? (n, Encoding.UTF8.GetString(Convert.FromBase64String(value))) : null;
            }
            catch (FormatException)
            {
                return null;
            }
        }

        return lower.StartsWith(ReservedPrefix, StringComparison.Ordinal) ? null : (lower, value);
    }

    /// <summary>Names Azure accepts as they are (C# identifiers; lower case because Azure folds case) and that are not ours.</summary>
    private static bool IsPlainName(string name) =>
        name.Length > 0
        && (char.IsAsciiLetterLower(name[0]) || name[0] == '_')
        && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_')
        && !name.StartsWith(ReservedPrefix, StringComparison.Ordinal);

    /// <summary>HTTP trims header values and allows only visible ASCII and inner spaces.</summary>
    private static bool IsPlainValue(string value) =>
        value.All(c => c is >= ' ' and <= '~') && (value.Length == 0 || (value[0] != ' ' && value[^1] != ' '));

    private static string Escape(string name)
    {
        var builder = new StringBuilder(name.Length * 2);
        foreach (var b in Encoding.UTF8.GetBytes(name))
        {
            if (char.IsAsciiLetterLower((char)b) || char.IsAsciiDigit((char)b))
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('_').Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    private static string? Unescape(string text)
    {
        var bytes = new List<byte>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '_')
            {
                bytes.Add((byte)text[i]);
                continue;
            }

            if (i + 2 >= text.Length)
            {
                return null;
            }

            if (!byte.TryParse(text.AsSpan(i + 1, 2), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var b))
            {
                return null;
            }

            bytes.Add(b);
            i += 2;
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }
}
