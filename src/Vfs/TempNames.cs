namespace VfsGateway.Vfs;

/// <summary>
/// Names of in-flight uploads on backends with partial uploads: ".{16 hex}.partial" next to the
/// target, so the final rename stays inside one directory (atomic on POSIX). The name is short and
/// independent of the target's so that a target name of up to 255 bytes still has a temp name the
/// file system accepts (issue 12). Earlier versions used ".{name}.{16 hex}.partial"; those are still
/// recognised, so they stay hidden and are swept like ours. The Vfs hides both from every listing,
/// refuses them as object names, and removes leftovers of interrupted uploads (<see cref="TempSweeper"/>).
/// </summary>
public static class TempNames
{
    private const string Suffix = ".partial";
    private const int HexLength = 16;
    private static readonly System.Buffers.SearchValues<char> LowerHex = System.Buffers.SearchValues.Create("0123456789abcdef");

    /// <remarks>
    /// The name only has to be unique (it is created with O_EXCL), not unguessable: Random.Shared
    /// instead of RandomNumberGenerator, which on Linux loads and initialises OpenSSL (~8 ms of CPU)
    /// the first time it is used, and the local backend's start-up probe makes a temp name before
    /// the first request (docs/performance.md, start-up).
    /// </remarks>
    public static VfsPath For(VfsPath target)
    {
        Span<byte> random = stackalloc byte[HexLength / 2];
        Random.Shared.NextBytes(random);
        return target.Parent.Join($".{Convert.ToHexStringLower(random)}{Suffix}");
    }

    public static bool IsTemp(string name)
    {
        // ".<16 hex>.partial", or the older ".<name>.<16 hex>.partial"
        if (name.Length < 1 + HexLength + Suffix.Length || name[0] != '.' || !name.EndsWith(Suffix, StringComparison.Ordinal))
        {
            return false;
        }

        var hexStart = name.Length - Suffix.Length - HexLength;
        if (name.AsSpan(hexStart, HexLength).IndexOfAnyExcept(LowerHex) >= 0)
        {
            return false;
        }

        return hexStart == 1 || (hexStart >= 3 && name[hexStart - 1] == '.');
    }
}
