using VfsGateway.Vfs;
using VfsGateway.Vfs.Registry;

namespace VfsGateway.Backends.Local;

/// <summary>Options of the local backend, validated before the first operation.</summary>
/// <param name="Root">The absolute directory that holds the remote; created on the first write.</param>
public sealed record LocalOptions(string Root)
{
    /// <summary>Keep object metadata in sidecar records even where the file system takes user extended attributes.</summary>
    public bool NoXattr { get; init; }

    /// <summary>Reads the options from a resolved remote config; throws <see cref="VfsErrorKind.Invalid"/> when the root is empty or malformed.</summary>
    public static LocalOptions FromConfig(BackendConfig config)
    {
        if (string.IsNullOrWhiteSpace(config.Root))
        {
            throw new VfsException(VfsErrorKind.Invalid, "the local backend needs a directory, e.g. local:/srv/data");
        }

        if (config.Root.Contains('\0', StringComparison.Ordinal))
        {
            throw new VfsException(VfsErrorKind.Invalid, "NUL is not allowed in a local path");
        }

        // A relative root is taken relative to the working directory once, at startup, so that a later chdir cannot move the data.
        var full = Path.GetFullPath(config.Root);
        var trimmed = Path.TrimEndingDirectorySeparator(full);
        return new LocalOptions(trimmed.Length == 0 ? full : trimmed) { NoXattr = config.GetBool("no_xattr") };
    }
}
