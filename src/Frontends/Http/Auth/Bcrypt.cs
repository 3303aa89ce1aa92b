using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace VfsGateway.Frontends.Http.Auth;

/// <summary>
/// bcrypt (Provos and Mazières, 1999): Blowfish with an expensive key schedule of 2^cost rounds.
/// Written here because no package is available to the project; checked against the
/// OpenBSD/Openwall vectors and Apache's <c>htpasswd -B</c> output. New hashes use the "$2y$"
/// prefix like htpasswd does; "$2a$", "$2b$" and "$2y$" are verified alike (they differ only in
/// bugs of old implementations with 8-bit or over-long passwords, which this one never had).
/// </summary>
public static partial class Bcrypt
{
    public const int MinCost = 4;
    public const int MaxCost = 31;
    public const int DefaultCost = 10;

    private const int SaltBytes = 16;
    private const int SaltChars = 22;
    private const int HashBytes = 23;
    private const int HashChars = 31;
    private const int PrefixLength = 7; // "$2y$10$"
    private const int EncodedLength = PrefixLength + SaltChars + HashChars;

    // bcrypt reads at most 72 key bytes, the NUL terminator included.
    private const int MaxKeyBytes = 72;

    private static readonly byte[] Alphabet = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"u8.ToArray();

    /// <summary>"OrpheanBeholderScryDoubt", the block bcrypt encrypts 64 times.</summary>
    private static readonly uint[] MagicWords = [0x4f727068, 0x65616e42, 0x65686f6c, 0x64657253, 0x63727944, 0x6f756274];

    /// <summary>Hashes <paramref name="password"/> (UTF-8) with a random salt; returns "$2y$CC$" + salt + hash.</summary>
    public static string HashPassword(string password, int cost = DefaultCost)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentOutOfRangeException.ThrowIfLessThan(cost, MinCost);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(cost, MaxCost);
        Span<byte> salt = stackalloc byte[SaltBytes];
        RandomNumberGenerator.Fill(salt);
        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(password.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(password, buffer);
            return HashWithSalt(buffer.AsSpan(0, length), salt, cost);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>True when <paramref name="password"/> (UTF-8) matches <paramref name="hash"/>; false for a wrong password or a malformed hash.</summary>
    public static bool Verify(string password, string hash)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(hash);
        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(password.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(password, buffer);
            return Verify(buffer.AsSpan(0, length), hash);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Verifies raw password bytes (what a Basic header carries) without making a string of them.</summary>
    internal static bool Verify(ReadOnlySpan<byte> password, string hash)
    {
        Span<byte> salt = stackalloc byte[SaltBytes];
        if (!TryParse(hash, out var cost, salt))
        {
            return false;
        }

        Span<byte> raw = stackalloc byte[24];
        Span<byte> computed = stackalloc byte[HashChars];
        Span<byte> stored = stackalloc byte[HashChars];
        Compute(password, salt, cost, raw);
        Encode(raw[..HashBytes], computed);
        for (var i = 0; i < HashChars; i++)
        {
            stored[i] = (byte)hash[PrefixLength + SaltChars + i];
        }

        return CryptographicOperations.FixedTimeEquals(computed, stored);
    }

    /// <summary>True when <paramref name="hash"/> is a well-formed bcrypt hash; <paramref name="cost"/> is its cost.</summary>
    internal static bool TryGetCost(string hash, out int cost)
    {
        Span<byte> salt = stackalloc byte[SaltBytes];
        return TryParse(hash, out cost, salt);
    }

    internal static string HashWithSalt(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, int cost)
    {
        Span<byte> raw = stackalloc byte[24];
        Compute(password, salt, cost, raw);
        Span<byte> text = stackalloc byte[EncodedLength];
        "$2y$"u8.CopyTo(text);
        text[4] = (byte)('0' + (cost / 10));
        text[5] = (byte)('0' + (cost % 10));
        text[6] = (byte)'$';
        Encode(salt, text.Slice(PrefixLength, SaltChars));
        Encode(raw[..HashBytes], text.Slice(PrefixLength + SaltChars, HashChars));
        return Encoding.ASCII.GetString(text);
    }

    private static bool TryParse(string hash, out int cost, Span<byte> salt)
    {
        cost = 0;
        if (hash.Length != EncodedLength || hash[0] != '$' || hash[1] != '2' || hash[2] is not ('a' or 'b' or 'y') ||
            hash[3] != '$' || !char.IsAsciiDigit(hash[4]) || !char.IsAsciiDigit(hash[5]) || hash[6] != '$')
        {
            return false;
        }

        cost = ((hash[4] - '0') * 10) + (hash[5] - '0');
        return cost is >= MinCost and <= MaxCost && Decode(hash.AsSpan(PrefixLength, SaltChars), salt);
    }

    private static void Compute(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, int cost, Span<byte> output)
    {
        Span<byte> keyBuffer = stackalloc byte[MaxKeyBytes];
        var keyLength = Math.Min(password.Length, MaxKeyBytes);
        password[..keyLength].CopyTo(keyBuffer);
        if (keyLength < MaxKeyBytes)
        {
            keyBuffer[keyLength++] = 0;
        }

        ReadOnlySpan<byte> key = keyBuffer[..keyLength];
        var p = (uint[])InitialP.Clone();
        var s = (uint[])InitialS.Clone();
        try
        {
            ExpandKey(p, s, key, salt);
            var rounds = 1L << cost;
            for (long i = 0; i < rounds; i++)
            {
                ExpandKey(p, s, key, default);
                ExpandKey(p, s, salt, default);
            }

            Span<uint> data = stackalloc uint[MagicWords.Length];
            MagicWords.CopyTo(data);
            for (var i = 0; i < 64; i++)
            {
                for (var j = 0; j < data.Length; j += 2)
                {
                    Encrypt(p, s, ref data[j], ref data[j + 1]);
                }
            }

            for (var j = 0; j < data.Length; j++)
            {
                BinaryPrimitives.WriteUInt32BigEndian(output[(4 * j)..], data[j]);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keyBuffer);
            Array.Clear(p);
            Array.Clear(s);
        }
    }

    /// <summary>Blowfish's key schedule, with the salt mixed in when one is given (EksBlowfish's ExpandKey).</summary>
    private static void ExpandKey(uint[] p, uint[] s, ReadOnlySpan<byte> key, ReadOnlySpan<byte> salt)
    {
        var keyPosition = 0;
        for (var i = 0; i < p.Length; i++)
        {
            p[i] ^= NextWord(key, ref keyPosition);
        }

        uint left = 0, right = 0;
        var saltPosition = 0;
        var salted = !salt.IsEmpty;
        for (var i = 0; i < p.Length; i += 2)
        {
            if (salted)
            {
                left ^= NextWord(salt, ref saltPosition);
                right ^= NextWord(salt, ref saltPosition);
            }

            Encrypt(p, s, ref left, ref right);
            p[i] = left;
            p[i + 1] = right;
        }

        for (var i = 0; i < s.Length; i += 2)
        {
            if (salted)
            {
                left ^= NextWord(salt, ref saltPosition);
                right ^= NextWord(salt, ref saltPosition);
            }

            Encrypt(p, s, ref left, ref right);
            s[i] = left;
            s[i + 1] = right;
        }
    }

    /// <summary>The next 4 bytes of <paramref name="data"/> as a big-endian word, wrapping around (key and salt are used cyclically).</summary>
    private static uint NextWord(ReadOnlySpan<byte> data, ref int position)
    {
        uint word = 0;
        for (var i = 0; i < 4; i++)
        {
            word = (word << 8) | data[position];
            if (++position == data.Length)
            {
                position = 0;
            }
        }

        return word;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Encrypt(uint[] p, uint[] s, ref uint left, ref uint right)
    {
        ref var sbox = ref MemoryMarshal.GetArrayDataReference(s);
        var l = left ^ p[0];
        var r = right;
        for (var i = 1; i < 17; i += 2)
        {
            r ^= F(ref sbox, l) ^ p[i];
            l ^= F(ref sbox, r) ^ p[i + 1];
        }

        left = r ^ p[17];
        right = l;
    }

    // Every index is masked to 0..255 inside one of the four 256-word boxes of the 1024-word
    // array, so the unchecked reads stay in bounds; the checks would cost a third of the time.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint F(ref uint s, uint x) =>
        ((Unsafe.Add(ref s, (int)(x >> 24)) + Unsafe.Add(ref s, 256 + (int)((x >> 16) & 0xff)))
            ^ Unsafe.Add(ref s, 512 + (int)((x >> 8) & 0xff))) + Unsafe.Add(ref s, 768 + (int)(x & 0xff));

    /// <summary>bcrypt's base64: its own alphabet, no padding.</summary>
    private static void Encode(ReadOnlySpan<byte> data, Span<byte> output)
    {
        var o = 0;
        for (var i = 0; i < data.Length;)
        {
            int c1 = data[i++];
            output[o++] = Alphabet[c1 >> 2];
            c1 = (c1 & 0x03) << 4;
            if (i >= data.Length)
            {
                output[o++] = Alphabet[c1];
                break;
            }

            int c2 = data[i++];
            output[o++] = Alphabet[c1 | (c2 >> 4)];
            c1 = (c2 & 0x0f) << 2;
            if (i >= data.Length)
            {
                output[o++] = Alphabet[c1];
                break;
            }

            c2 = data[i++];
            output[o++] = Alphabet[c1 | (c2 >> 6)];
            output[o++] = Alphabet[c2 & 0x3f];
        }
    }

    private static bool Decode(ReadOnlySpan<char> text, Span<byte> output)
    {
        var o = 0;
        var t = 0;
        while (o < output.Length)
        {
            int c1 = Index(text, t), c2 = Index(text, t + 1);
            if (c1 < 0 || c2 < 0)
            {
                return false;
            }

            output[o++] = (byte)((c1 << 2) | ((c2 & 0x30) >> 4));
            if (o >= output.Length)
            {
                break;
            }

            var c3 = Index(text, t + 2);
            if (c3 < 0)
            {
                return false;
            }

            output[o++] = (byte)(((c2 & 0x0f) << 4) | ((c3 & 0x3c) >> 2));
            if (o >= output.Length)
            {
                break;
            }

            var c4 = Index(text, t + 3);
            if (c4 < 0)
            {
                return false;
            }

            output[o++] = (byte)(((c3 & 0x03) << 6) | c4);
            t += 4;
        }

        return true;
    }

    private static int Index(ReadOnlySpan<char> text, int position) =>
        position < text.Length && text[position] < 128 ? Alphabet.AsSpan().IndexOf((byte)text[position]) : -1;
}
