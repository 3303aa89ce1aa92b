using VfsGateway.Vfs;

namespace VfsGateway.Cli.Transfer;

/// <summary>One file the transfer has to look at further: copy it, or hash it first (<see cref="FileVerdict.CompareHashes"/>).</summary>
/// <param name="Source">The source file; its path is also the destination path (both relative to their remote's root).</param>
/// <param name="Destination">The file already at that path in the destination, if any.</param>
/// <param name="Verdict"><see cref="FileVerdict.Differ"/> or <see cref="FileVerdict.CompareHashes"/>.</param>
internal sealed record CopyItem(Entry Source, Entry? Destination, FileVerdict Verdict)
{
    public VfsPath Path => Source.Path;
}
