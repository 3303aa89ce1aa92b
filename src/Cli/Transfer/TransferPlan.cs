using VfsGateway.Vfs;

namespace VfsGateway.Cli.Transfer;

/// <summary>What a copy or sync has to do, decided from the two listings before anything is written.</summary>
/// <param name="Copies">Files to copy (or to hash first), in path order.</param>
/// <param name="Unchanged">Source files already identical in the destination.</param>
/// <param name="DeletesFirst">Sync only: destination files where the source has a directory; they go before the copies.</param>
/// <param name="Deletes">Sync only: the other destination files with no source file of that path, in path order; they go after the copies.</param>
/// <param name="DirectoryDeletes">Sync only: destination directories with no source directory of that path, deepest first.</param>
/// <param name="Conflicts">Source files whose destination path is a directory: reported as errors, never overwritten.</param>
internal sealed record TransferPlan(
    IReadOnlyList<CopyItem> Copies,
    int Unchanged,
    IReadOnlyList<VfsPath> DeletesFirst,
    IReadOnlyList<VfsPath> Deletes,
    IReadOnlyList<VfsPath> DirectoryDeletes,
    IReadOnlyList<VfsPath> Conflicts)
{
    public long BytesToCopy => Copies.Sum(c => c.Source.Size);
}
