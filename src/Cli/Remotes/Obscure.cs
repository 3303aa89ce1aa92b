using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace VfsGateway.Cli.Remotes;

/// <summary>
/// rclone's "obscure" (fs/config/obscure): AES-256-CTR under a fixed key that is public in rclone's
/// source, a random 16-byte IV in front, the whole encoded as unpadded base64url. It keeps secrets
/// from being read over a shoulder, nothing more: anyone with the file can reveal them. Strings
/// made here reveal in rclone and the other way round.
/// </summary>
internal static class Obscure
{
    private const int IvLength = 16;

    // rclone's cryptKey, byte for byte; compatibility is the point, so it cannot be ours.
    private static readonly byte[] Key =
    [
        0x9c, 0x93, 0x5b, 0x48, 0x73, 0x0a, 0x55, 0x4d,
        0x6b, 0xfd, 0x7c, 0x63, 0xc8, 0x86, 0xa9, 0x2b,
        0xd3, 0x90, 0x19, 0x8e, 0xb8, 0x12, 0x8a, 0xfb,
        0xf4, 0xde, 0x16, 0x2b, 0x8b, 0x95, 0xf6, 0x38,
    ];

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string Hide(string plain)
    {
        Span<byte> iv = stackalloc byte[IvLength];
        RandomNumberGenerator.Fill(iv);
        return Hide(plain, iv);
    }

    /// <summary>With a given IV, for rclone's fixed test vectors.</summary>
    public static string Hide(string plain, ReadOnlySpan<byte> iv)
    {
        var data = new byte[IvLength + Encoding.UTF8.GetByteCount(plain)];
        iv.CopyTo(data);
        Encoding.UTF8.GetBytes(plain, data.AsSpan(IvLength));
        Crypt(data.AsSpan(IvLength), iv);
        return Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>The plain text of an obscured string; false when it is not one (bad base64url, too short, not UTF-8).</summary>
    public static bool TryReveal(string obscured, out string plain)
    {
        plain = string.Empty;
        if (obscured.Length == 0 || obscured.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')) || obscured.Length % 4 == 1)
        {
            return false;
        }

        var base64 = obscured.Replace('-', '+').Replace('_', '/');
        base64 += new string('=', (4 - (base64.Length % 4)) % 4);
        byte[] data;
        try
        {
            data = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            return false;
        }

        if (data.Length < IvLength)
        {
            return false;
        }

        var iv = data.AsSpan(0, IvLength).ToArray();
        Crypt(data.AsSpan(IvLength), iv);
        try
        {
            plain = StrictUtf8.GetString(data, IvLength, data.Length - IvLength);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>
    /// How the config reader takes a secret: revealed when it is an obscured string of printable
    /// text, else as written, so files written by hand before `gateway config` (and rclone's own
    /// plaintext keys, such as s3's secret_access_key) keep working.
    /// </summary>
    public static string RevealIfObscured(string value) =>
        TryReveal(value, out var plain) && plain.Length > 0 && !plain.Any(char.IsControl) ? plain : value;

    // CTR mode over .NET's AES-ECB: the keystream is E(counter), the 16-byte IV taken as one
    // big-endian counter incremented per block, as Go's cipher.NewCTR does.
    private static void Crypt(Span<byte> data, ReadOnlySpan<byte> iv)
    {
        using var aes = Aes.Create();
        aes.Key = Key;
        var counter = iv.ToArray();
        Span<byte> keystream = stackalloc byte[IvLength];
        for (var offset = 0; offset < data.Length; offset += IvLength)
        {
            aes.EncryptEcb(counter, keystream, PaddingMode.None);
            var block = data[offset..Math.Min(offset + IvLength, data.Length)];
            for (var i = 0; i < block.Length; i++)
            {
                block[i] ^= keystream[i];
            }

            Increment(counter);
        }
    }

    private static void Increment(byte[] counter)
    {
        var high = BinaryPrimitives.ReadUInt64BigEndian(counter);
        var low = BinaryPrimitives.ReadUInt64BigEndian(counter.AsSpan(8)) + 1;
        if (low == 0)
        {
            high++;
        }

        BinaryPrimitives.WriteUInt64BigEndian(counter, high);
        BinaryPrimitives.WriteUInt64BigEndian(counter.AsSpan(8), low);
    }
}
