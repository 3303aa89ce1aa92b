using System.Security.Cryptography;

namespace VfsGateway.Vfs;

/// <summary>
/// Names of in-flight uploads on backends with partial uploads: ".{name}.{16 hex}.partial" next to
/// the target, so the final rename stays inside one directory (atomic on POSIX). The Vfs hides
/// them from every listing.
/// </summary>
public static class TempNames
{
    private const string Suffix = ".partial";
    private static readonly System.Buffers.SearchValues<char> LowerHex = System.Buffers.SearchValues.Create("0123456789abcdef");

    public static VfsPath For(VfsPath target)
    {
        Span<byte> random = stackalloc byte[8];
        RandomNumberGenerator.Fill(random);
        return target.Parent.Join($".{target.Name}.{Convert.ToHexStringLower(random)}{Suffix}");
    }

    public static bool IsTemp(string name)
    {
        // "." + name + "." + 16 hex + ".partial"
        if (name.Length < 1 + 1 + 1 + 16 + Suffix.Length || name[0] != '.' || !name.EndsWith(Suffix, StringComparison.Ordinal))
        {
            return false;
        }

        var hex = name.AsSpan(name.Length - Suffix.Length - 16, 16);
        return name[name.Length - Suffix.Length - 17] == '.' && hex.IndexOfAnyExcept(LowerHex) < 0;
    }
}
