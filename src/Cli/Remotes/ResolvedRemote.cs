using VfsGateway.Vfs.Registry;

namespace VfsGateway.Cli.Remotes;

/// <summary>A remote ready for its backend factory.</summary>
/// <param name="Config">The backend type, root and merged option values.</param>
/// <param name="Display">How to show the remote to people ("local:/srv/restic", "nas:backup"); never contains option values, which may be secrets.</param>
internal sealed record ResolvedRemote(BackendConfig Config, string Display)
{
    public bool IsLocal => string.Equals(Config.Registration.Name, "local", StringComparison.OrdinalIgnoreCase);
}
