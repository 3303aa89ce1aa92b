using System.Security.Cryptography;
using System.Text;

namespace VfsGateway.Vfs.Cache;

/// <summary>Names of things inside the cache directory.</summary>
internal static class CacheNames
{
    public const string LockFile = "lock";
    public const string ItemsDir = "items";
    public const string RecordSuffix = ".json";
    public const string DataSuffix = ".data";
    public const string TempMarker = ".tmp-";

    /// <summary>
    /// A file-system-safe directory name for a remote: [A-Za-z0-9._-] kept, everything else %XX;
    /// long names are shortened with a hash so they stay under NAME_MAX.
    /// </summary>
    public static string EncodeRemote(string remote)
    {
        var sb = new StringBuilder(remote.Length);
        foreach (var b in Encoding.UTF8.GetBytes(remote))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')
            {
                sb.Append(c);
            }
            else
            {
                sb.Append('%').Append(b.ToString("X2"));
            }
        }

        if (sb.Length == 0 || sb[0] == '.')
        {
            sb.Insert(0, '_');
        }

        return sb.Length <= 120 ? sb.ToString() : $"{sb.ToString(0, 80)}~{Key(remote)[..16]}";
    }

    /// <summary>
    /// The item key of a path: hex SHA-256 of its canonical text. Keys give a flat layout that has
    /// no file/directory clashes ("a" then "a/b") and no name-length limits; the record inside
    /// holds the real path.
    /// </summary>
    public static string Key(string path) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(path)));

    public static string ItemDir(string root, string key) => Path.Combine(root, ItemsDir, key[..2]);

    public static string RecordPath(string root, string key) => Path.Combine(ItemDir(root, key), key + RecordSuffix);

    public static string DataPath(string root, string key, long generation) =>
        Path.Combine(ItemDir(root, key), $"{key}.{generation}{DataSuffix}");

    public static string TempPath(string dir, string name) =>
        Path.Combine(dir, $"{name}{TempMarker}{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}");
}
