using System.Security.Cryptography;

namespace VfsGateway.Frontends.Http.Auth;

/// <summary>The password hash formats of an htpasswd file that the gateway accepts.</summary>
internal static class HtpasswdHash
{
    private const string ShaPrefix = "{SHA}";

    public static bool IsSupported(string hash) =>
        BcryptHash.TryGetCost(hash, out _) ||
        hash.StartsWith(Apr1Crypt.Magic, StringComparison.Ordinal) ||
        (hash.StartsWith(ShaPrefix, StringComparison.Ordinal) && hash.Length == ShaPrefix.Length + 28);

    /// <summary>A malformed "$2…" line: worth its own warning when the file is loaded.</summary>
    public static bool IsMalformedBcrypt(string hash) =>
        hash.StartsWith("$2", StringComparison.Ordinal) && !BcryptHash.TryGetCost(hash, out _);

    /// <summary>Checks raw password bytes against a stored hash; false for a wrong password or an unsupported format, never an exception.</summary>
    public static bool Verify(ReadOnlySpan<byte> password, string hash)
    {
        if (hash.StartsWith("$2", StringComparison.Ordinal))
        {
            return BcryptHash.Verify(password, hash);
        }

        if (hash.StartsWith(Apr1Crypt.Magic, StringComparison.Ordinal))
        {
            return Apr1Crypt.Verify(password, hash);
        }

        return hash.StartsWith(ShaPrefix, StringComparison.Ordinal) && VerifySha1(password, hash.AsSpan(ShaPrefix.Length));
    }

    /// <summary>
    /// A hash of a random password in the same format (and bcrypt cost) as <paramref name="template"/>:
    /// checking an unknown user against it costs what checking a known one does, so response
    /// times do not tell which users exist.
    /// </summary>
    public static string CreateDummyLike(string template)
    {
        Span<byte> password = stackalloc byte[16];
        RandomNumberGenerator.Fill(password);
        if (template.StartsWith(Apr1Crypt.Magic, StringComparison.Ordinal))
        {
            return Apr1Crypt.Hash(password, "gateway0");
        }

        if (template.StartsWith(ShaPrefix, StringComparison.Ordinal))
        {
            return ShaPrefix + Convert.ToBase64String(Sha1(password));
        }

        return BcryptHash.HashPassword(Convert.ToBase64String(password), BcryptHash.TryGetCost(template, out var cost) ? cost : BcryptHash.DefaultCost);
    }

#pragma warning disable CA5350 // {SHA} is htpasswd -s: unsalted SHA-1 by definition; accepted for existing files only.
    private static bool VerifySha1(ReadOnlySpan<byte> password, ReadOnlySpan<char> encoded)
    {
        Span<byte> stored = stackalloc byte[21];
        if (!Convert.TryFromBase64Chars(encoded, stored, out var length) || length != SHA1.HashSizeInBytes)
        {
            return false;
        }

        Span<byte> computed = stackalloc byte[SHA1.HashSizeInBytes];
        SHA1.HashData(password, computed);
        return CryptographicOperations.FixedTimeEquals(computed, stored[..length]);
    }
    private static byte[] Sha1(ReadOnlySpan<byte> data) => SHA1.HashData(data);
#pragma warning restore CA5350
}
