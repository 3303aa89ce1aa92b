using System.Text;
using System.Text.Unicode;
using BCryptNet = BCrypt.Net.BCrypt;

namespace VfsGateway.Frontends.Http.Auth;

/// <summary>
/// bcrypt for htpasswd files, over BCrypt.Net-Next. The library throws for malformed input; this
/// wrapper never does on the verify path: a malformed hash, an empty password or a password that
/// is not UTF-8 is "no match" (the authenticator logs a malformed hash once, when it loads the
/// file). "$2a$", "$2b$" and "$2y$" are verified alike; new hashes use Apache's "$2y$" prefix.
/// Passwords are compared as their UTF-8 bytes, the first 72 of which count.
/// </summary>
internal static class BcryptHash
{
    public const int MinCost = 4;
    public const int MaxCost = 31;
    public const int DefaultCost = 10;

    private const int EncodedLength = 60; // "$2y$10$" + 22 salt chars + 31 hash chars
    private const int PrefixLength = 7;

    /// <summary>True when <paramref name="hash"/> is a well-formed $2a$/$2b$/$2y$ hash; <paramref name="cost"/> is its cost.</summary>
    public static bool TryGetCost(string? hash, out int cost)
    {
        cost = 0;
        if (hash is null || hash.Length != EncodedLength || !hash.StartsWith("$2", StringComparison.Ordinal) ||
            hash[2] is not ('a' or 'b' or 'y') || hash[3] != '$' || !char.IsAsciiDigit(hash[4]) || !char.IsAsciiDigit(hash[5]) ||
            hash[6] != '$')
        {
            return false;
        }

        cost = ((hash[4] - '0') * 10) + (hash[5] - '0');
        if (cost is < MinCost or > MaxCost)
        {
            return false;
        }

        foreach (var c in hash.AsSpan(PrefixLength))
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '/'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Raw password bytes (what a Basic header carries) against a stored hash; never throws.</summary>
    public static bool Verify(ReadOnlySpan<byte> password, string hash)
    {
        // The library takes strings: bytes that are not UTF-8 would decode to U+FFFD, and two
        // different byte strings must never match the same hash, so they are refused instead.
        if (password.IsEmpty || !Utf8.IsValid(password))
        {
            return false;
        }

        return Verify(Encoding.UTF8.GetString(password), hash);
    }

    /// <summary>A password against a stored hash; false for a wrong or empty password and for a malformed hash, never an exception.</summary>
    public static bool Verify(string password, string hash)
    {
        if (string.IsNullOrEmpty(password) || !TryGetCost(hash, out _))
        {
            return false;
        }

        try
        {
            return BCryptNet.Verify(password, hash);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or BCrypt.Net.SaltParseException or BCrypt.Net.BcryptAuthenticationException)
        {
            return false;
        }
    }

    /// <summary>Hashes <paramref name="password"/> (UTF-8) with a random salt, as <c>htpasswd -B -C cost</c> does: "$2y$CC$" + salt + hash.</summary>
    /// <exception cref="ArgumentException">The password is empty (it could never match).</exception>
    /// <exception cref="ArgumentOutOfRangeException">The cost is outside 4..31.</exception>
    public static string HashPassword(string password, int cost = DefaultCost)
    {
        ArgumentException.ThrowIfNullOrEmpty(password);
        ArgumentOutOfRangeException.ThrowIfLessThan(cost, MinCost);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(cost, MaxCost);
        return BCryptNet.HashPassword(password, BCryptNet.GenerateSalt(cost, 'y'));
    }
}
