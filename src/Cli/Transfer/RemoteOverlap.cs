using VfsGateway.Cli.Remotes;

namespace VfsGateway.Cli.Transfer;

/// <summary>
/// Whether two remotes reach the same storage with one root inside the other (rclone refuses to
/// sync such a pair: the copy would feed itself and the delete pass would remove what it copied).
/// Same backend type, same option values, and roots that are equal or nested.
/// </summary>
internal static class RemoteOverlap
{
    public static bool Overlaps(ResolvedRemote a, ResolvedRemote b)
    {
        var typeA = a.Config.Registration;
        if (!string.Equals(typeA.Name, b.Config.Registration.Name, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        foreach (var option in typeA.Options)
        {
            if (!string.Equals(a.Config.Get(option.Name), b.Config.Get(option.Name), StringComparison.Ordinal))
            {
                return false;
            }
        }

        var rootA = Normalize(a);
        var rootB = Normalize(b);
        return Nested(rootA, rootB) || Nested(rootB, rootA);
    }

    private static string Normalize(ResolvedRemote remote) =>
        (remote.IsLocal ? Path.GetFullPath(remote.Config.Root.Length == 0 ? "." : remote.Config.Root) : remote.Config.Root).Trim('/');

    private static bool Nested(string outer, string inner) =>
        outer.Length == 0 || inner == outer || (inner.StartsWith(outer, StringComparison.Ordinal) && inner[outer.Length] == '/');
}
