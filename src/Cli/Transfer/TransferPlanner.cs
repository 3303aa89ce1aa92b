using System.Buffers;
using VfsGateway.Vfs;

namespace VfsGateway.Cli.Transfer;

/// <summary>
/// Decides what `gateway copy` and `gateway sync` do, from the source and destination listings
/// alone (no I/O here, so it is unit-tested on its own). Files are compared as rclone does by
/// default: sizes first; then modification times within <see cref="ModifyWindow"/> (the copy sets
/// the source's time on the destination wherever the backend keeps one); where a time differs but
/// one side carries an MD5 (an S3 ETag of a single-part object), the other side is hashed to decide,
/// since S3 stamps every object with its upload time.
/// </summary>
internal static class TransferPlanner
{
    /// <summary>Times closer than this are equal: SFTP and most FTP servers keep whole seconds.</summary>
    public static readonly TimeSpan ModifyWindow = TimeSpan.FromSeconds(1);

    private static readonly SearchValues<char> Hex = SearchValues.Create("0123456789abcdefABCDEF");

    /// <param name="source">Every entry below the source root (files and, where the backend has them, directories).</param>
    /// <param name="destination">Every entry below the destination root.</param>
    /// <param name="deleteExtraneous">Sync: plan deleting destination files and directories the source does not have.</param>
    /// <param name="sizeOnly">Compare sizes only (for destinations that keep neither times nor hashes).</param>
    public static TransferPlan Plan(IEnumerable<Entry> source, IEnumerable<Entry> destination, bool deleteExtraneous, bool sizeOnly)
    {
        var (sourceFiles, sourceDirs) = Index(source);
        var (destFiles, destDirs) = Index(destination);

        var copies = new List<CopyItem>();
        var conflicts = new List<VfsPath>();
        var unchanged = 0;
        foreach (var (path, file) in sourceFiles.OrderBy(kv => kv.Key))
        {
            if (destDirs.Contains(path))
            {
                conflicts.Add(path);
                continue;
            }

            var existing = destFiles.GetValueOrDefault(path);
            var verdict = existing is null ? FileVerdict.Differ : Compare(file, existing, sizeOnly);
            if (verdict == FileVerdict.Same)
            {
                unchanged++;
            }
            else
            {
                copies.Add(new CopyItem(file, existing, verdict));
            }
        }

        if (!deleteExtraneous)
        {
            return new TransferPlan(copies, unchanged, [], [], [], conflicts);
        }

        var deletes = destFiles.Keys.Where(p => !sourceFiles.ContainsKey(p)).Order().ToList();

        // A destination file where the source has a directory must go before the copies, or the source's files could never land.
        var first = deletes.Where(sourceDirs.Contains).ToList();
        var dirDeletes = destDirs.Where(d => !sourceDirs.Contains(d) && !sourceFiles.ContainsKey(d))
            .OrderByDescending(d => d.Depth)
            .ThenBy(d => d)
            .ToList();
        return new TransferPlan(copies, unchanged, first, deletes.Except(first).ToList(), dirDeletes, conflicts);
    }

    /// <summary>The files by path, and every directory: listed ones and the parents of every entry (bucket-based listings may name files without their directories).</summary>
    private static (Dictionary<VfsPath, Entry> Files, HashSet<VfsPath> Dirs) Index(IEnumerable<Entry> entries)
    {
        var files = new Dictionary<VfsPath, Entry>();
        var dirs = new HashSet<VfsPath>();
        foreach (var entry in entries)
        {
            if (entry.IsDirectory)
            {
                dirs.Add(entry.Path);
            }
            else
            {
                files[entry.Path] = entry;
            }

            for (var parent = entry.Path.Parent; !parent.IsRoot; parent = parent.Parent)
            {
                dirs.Add(parent);
            }
        }

        return (files, dirs);
    }

    /// <summary>Compares a source file with the destination file of the same path.</summary>
    public static FileVerdict Compare(Entry source, Entry destination, bool sizeOnly)
    {
        if (source.Size != destination.Size)
        {
            return FileVerdict.Differ;
        }

        if (sizeOnly)
        {
            return FileVerdict.Same;
        }

        var sourceMd5 = Md5Of(source);
        var destMd5 = Md5Of(destination);
        if (sourceMd5 is not null && destMd5 is not null)
        {
            return sourceMd5 == destMd5 ? FileVerdict.Same : FileVerdict.Differ;
        }

        if ((source.ModTime - destination.ModTime).Duration() < ModifyWindow)
        {
            return FileVerdict.Same;
        }

        return sourceMd5 is not null || destMd5 is not null ? FileVerdict.CompareHashes : FileVerdict.Differ;
    }

    /// <summary>
    /// The MD5 an entry's ETag stands for, lower-case hex, when it is one: S3 ETags of single-part
    /// objects are the quoted MD5 of the content; multipart ETags ("…-3") and other backends'
    /// opaque tags (Azure "0x8D…", memory's counter) are not 32 hex digits.
    /// </summary>
    public static string? Md5Of(Entry entry)
    {
        var tag = entry.ETag?.Trim('"');
        return tag is { Length: 32 } && !tag.AsSpan().ContainsAnyExcept(Hex) ? tag.ToLowerInvariant() : null;
    }
}
