using System.Security.Cryptography;
using System.Text;

namespace VfsGateway.Frontends.Http.Auth;

/// <summary>
/// Apache's "$apr1$" password hash (htpasswd -m): Poul-Henning Kamp's MD5-crypt with Apache's
/// magic string. Verification only matters for existing files; new hashes are bcrypt.
/// </summary>
internal static class Apr1Crypt
{
    public const string Magic = "$apr1$";
    private const int MaxSaltChars = 8;
    private const int HashChars = 22;
    private const string Alphabet = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static bool Verify(ReadOnlySpan<byte> password, string hash)
    {
        if (!hash.StartsWith(Magic, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = hash.AsSpan(Magic.Length);
        var dollar = rest.IndexOf('$');
        if (dollar < 0 || dollar > MaxSaltChars || rest.Length - dollar - 1 != HashChars)
        {
            return false;
        }

        Span<byte> salt = stackalloc byte[MaxSaltChars];
        var saltLength = Encoding.ASCII.GetBytes(rest[..dollar], salt);
        Span<byte> computed = stackalloc byte[HashChars];
        Compute(password, salt[..saltLength], computed);
        Span<byte> stored = stackalloc byte[HashChars];
        for (var i = 0; i < HashChars; i++)
        {
            var c = rest[dollar + 1 + i];
            stored[i] = c < 128 ? (byte)c : (byte)0;
        }

        return CryptographicOperations.FixedTimeEquals(computed, stored);
    }

    /// <summary>Hashes with a given salt (tests and interoperability); the result is "$apr1$salt$hash".</summary>
    public static string Hash(ReadOnlySpan<byte> password, string salt)
    {
        Span<byte> saltBytes = stackalloc byte[MaxSaltChars];
        var saltLength = Encoding.ASCII.GetBytes(salt.AsSpan(0, Math.Min(salt.Length, MaxSaltChars)), saltBytes);
        Span<byte> computed = stackalloc byte[HashChars];
        Compute(password, saltBytes[..saltLength], computed);
        return string.Concat(Magic, salt.AsSpan(0, saltLength), "$", Encoding.ASCII.GetString(computed));
    }

#pragma warning disable CA5351 // MD5 is what the $apr1$ format is defined on; only existing hashes are verified with it.
    private static void Compute(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, Span<byte> output)
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        Span<byte> alternate = stackalloc byte[16];
        md5.AppendData(password);
        md5.AppendData(salt);
        md5.AppendData(password);
        md5.GetHashAndReset(alternate);

        md5.AppendData(password);
        md5.AppendData("$apr1$"u8);
        md5.AppendData(salt);
        for (var left = password.Length; left > 0; left -= 16)
        {
            md5.AppendData(alternate[..Math.Min(16, left)]);
        }

        // The original code feeds a NUL or the first password byte per bit of the length.
        ReadOnlySpan<byte> zero = [0];
        for (var bits = password.Length; bits != 0; bits >>= 1)
        {
            md5.AppendData((bits & 1) != 0 ? zero : password[..1]);
        }

        Span<byte> digest = stackalloc byte[16];
        md5.GetHashAndReset(digest);

        // 1000 rounds "to slow down dictionary attacks" (1994's notion of slow).
        for (var i = 0; i < 1000; i++)
        {
            md5.AppendData((i & 1) != 0 ? password : digest);
            if (i % 3 != 0)
            {
                md5.AppendData(salt);
            }

            if (i % 7 != 0)
            {
                md5.AppendData(password);
            }

            md5.AppendData((i & 1) != 0 ? digest : password);
            md5.GetHashAndReset(digest);
        }

        var o = 0;
        Encode(digest[0], digest[6], digest[12], 4, output, ref o);
        Encode(digest[1], digest[7], digest[13], 4, output, ref o);
        Encode(digest[2], digest[8], digest[14], 4, output, ref o);
        Encode(digest[3], digest[9], digest[15], 4, output, ref o);
        Encode(digest[4], digest[10], digest[5], 4, output, ref o);
        Encode(0, 0, digest[11], 2, output, ref o);
        CryptographicOperations.ZeroMemory(digest);
        CryptographicOperations.ZeroMemory(alternate);
    }
#pragma warning restore CA5351

    private static void Encode(byte b2, byte b1, byte b0, int chars, Span<byte> output, ref int position)
    {
        var value = (b2 << 16) | (b1 << 8) | b0;
        for (var i = 0; i < chars; i++)
        {
            output[position++] = (byte)Alphabet[value & 0x3f];
            value >>= 6;
        }
    }
}
