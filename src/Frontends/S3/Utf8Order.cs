namespace VfsGateway.Frontends.S3;

/// <summary>
/// Compares strings in UTF-8 byte order, the order S3 lists keys in. Ordinal UTF-16 order differs
/// only where a surrogate pair (U+10000 and up) meets U+E000–U+FFFF; code point order fixes that.
/// </summary>
internal sealed class Utf8Order : IComparer<string>
{
    public static Utf8Order Instance { get; } = new();

    public static int CompareKeys(string? a, string? b)
    {
        if (a is null || b is null)
        {
            return a is null ? (b is null ? 0 : -1) : 1;
        }

        var n = Math.Min(a.Length, b.Length);
        for (var i = 0; i < n; i++)
        {
            var x = a[i];
            var y = b[i];
            if (x != y)
            {
                return Weight(x) - Weight(y);
            }
        }

        return a.Length - b.Length;
    }

    public int Compare(string? x, string? y) => CompareKeys(x, y);

    // Surrogates (D800–DFFF) encode code points above FFFF, so they must sort after E000–FFFF.
    private static int Weight(char c) => c >= 0xE000 ? c - 0x800 : c >= 0xD800 ? c + 0x2000 : c;
}
