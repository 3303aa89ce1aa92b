using System.Text;

namespace VfsGateway.Frontends.Http;

/// <summary>
/// Strict percent-decoding of request targets: every %XX becomes its byte and the result must be valid
/// UTF-8. <see cref="Uri.UnescapeDataString(string)"/> leaves sequences that do not decode to valid UTF-8
/// (overlong "%c0%ae", lone "%ff") as literal text, which would turn a hostile name into a different,
/// stored one; here they are refused.
/// </summary>
internal static class PercentDecoding
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Decodes <paramref name="value"/>; false when a %-escape is malformed or the bytes are not valid UTF-8.</summary>
    public static bool TryDecode(string value, out string decoded)
    {
        if (!value.Contains('%', StringComparison.Ordinal))
        {
            decoded = value;
            return true;
        }

        var bytes = new List<byte>(value.Length);
        Span<byte> one = stackalloc byte[4];
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '%')
            {
                if (i + 2 >= value.Length || !Uri.IsHexDigit(value[i + 1]) || !Uri.IsHexDigit(value[i + 2]))
                {
                    decoded = string.Empty;
                    return false;
                }

                bytes.Add((byte)((Uri.FromHex(value[i + 1]) << 4) | Uri.FromHex(value[i + 2])));
                i += 2;
                continue;
            }

            var n = Encoding.UTF8.GetBytes([c], one);
            for (var k = 0; k < n; k++)
            {
                bytes.Add(one[k]);
            }
        }

        try
        {
            decoded = StrictUtf8.GetString(bytes.ToArray());
            return true;
        }
        catch (DecoderFallbackException)
        {
            decoded = string.Empty;
            return false;
        }
    }
}
