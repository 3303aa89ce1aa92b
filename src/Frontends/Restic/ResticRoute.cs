using VfsGateway.Vfs;

namespace VfsGateway.Frontends.Restic;

/// <summary>
/// A parsed request path. <see cref="Repository"/> is what the private-repo check looks at and
/// <see cref="Path"/> is the storage address; both come from the same single parse
/// (CONVENTIONS §4).
/// </summary>
/// <param name="Kind">Which resource the path names.</param>
/// <param name="Repository">The repository folder ("" for a repository at the root).</param>
/// <param name="Type">The object type (Config for <see cref="ResticRouteKind.Config"/> and <see cref="ResticRouteKind.Repository"/>).</param>
/// <param name="Id">The 64-hex object name, for <see cref="ResticRouteKind.Object"/>; otherwise empty.</param>
/// <param name="Path">Where it lives in the Vfs: the repository, its config, its type directory, or the object (data fanned out as data/xx/id).</param>
internal readonly record struct ResticRoute(ResticRouteKind Kind, VfsPath Repository, ResticObjectType Type, string Id, VfsPath Path)
{
    /// <summary>The type as it appears in URLs, directory names and metric labels.</summary>
    public string TypeName => NameOf(Type);

    public static string NameOf(ResticObjectType type) => type switch
    {
        ResticObjectType.Config => "config",
        ResticObjectType.Data => "data",
        ResticObjectType.Keys => "keys",
        ResticObjectType.Locks => "locks",
        ResticObjectType.Snapshots => "snapshots",
        ResticObjectType.Index => "index",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };
}
