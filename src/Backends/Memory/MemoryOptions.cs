using VfsGateway.Vfs;
using VfsGateway.Vfs.Registry;

namespace VfsGateway.Backends.Memory;

/// <summary>Options of the memory backend, validated before the first operation.</summary>
/// <param name="Root">The prefix inside the store under which this remote lives ("" for "memory:").</param>
public sealed record MemoryOptions(VfsPath Root)
{
    /// <summary>Reads the options from a resolved remote config; throws <see cref="VfsErrorKind.Invalid"/> on a bad root.</summary>
    public static MemoryOptions FromConfig(BackendConfig config) => new(VfsPath.Parse(config.Root));
}
