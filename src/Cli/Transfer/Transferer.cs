using System.Security.Cryptography;
using VfsGateway.Vfs;

namespace VfsGateway.Cli.Transfer;

/// <summary>
/// Carries out a <see cref="TransferPlan"/> through the two Vfs instances: the copies,
/// <see cref="TransferOptions.Transfers"/> at a time, each streamed from the source into one put
/// (the Vfs writes through a temporary name where a failed put could leave a partial file, so a
/// destination never shows a half-copied file), then, for sync and only when every copy worked,
/// the deletes. A file's failure is reported and counted; the others go on.
/// </summary>
internal sealed class Transferer(RemoteTarget source, RemoteTarget destination, TransferOptions options, TransferProgress progress, TextWriter output)
{
    private readonly Lock _outputLock = new();

    public async Task RunAsync(TransferPlan plan, CancellationToken cancellationToken)
    {
        progress.Unchanged = plan.Unchanged;
        progress.SetTotals(plan.BytesToCopy, plan.Copies.Count);
        foreach (var conflict in plan.Conflicts)
        {
            progress.Error($"cannot copy '{conflict}': the destination has a directory of that name");
        }

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Transfers, CancellationToken = cancellationToken };
        foreach (var path in plan.DeletesFirst)
        {
            await DeleteAsync(path, cancellationToken).ConfigureAwait(false);
        }

        await Parallel.ForEachAsync(plan.Copies, parallel, async (item, ct) => await CopyAsync(item, ct).ConfigureAwait(false)).ConfigureAwait(false);

        if (plan.Deletes.Count == 0 && plan.DirectoryDeletes.Count == 0)
        {
            return;
        }

        if (progress.Errors > 0)
        {
            // rclone's rule: a failed copy may mean a listing was incomplete; deleting could lose data.
            progress.Error("not deleting files in the destination as there were errors");
            return;
        }

        await Parallel.ForEachAsync(plan.Deletes, parallel, async (path, ct) => await DeleteAsync(path, ct).ConfigureAwait(false)).ConfigureAwait(false);
        foreach (var dir in plan.DirectoryDeletes)
        {
            await RmdirAsync(dir, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task CopyAsync(CopyItem item, CancellationToken cancellationToken)
    {
        try
        {
            if (item.Verdict == FileVerdict.CompareHashes && await SameContentAsync(item, cancellationToken).ConfigureAwait(false))
            {
                progress.Skipped(item.Source.Size);
                return;
            }
        }
        catch (VfsException e)
        {
            progress.Error($"cannot compare '{item.Path}': {e.Message}");
            return;
        }

        if (options.DryRun)
        {
            Print($"Would copy: {item.Path}");
            progress.AddBytes(item.Source.Size);
            progress.FileCopied(item.Path.Value, announce: false);
            return;
        }

        var put = new PutOptions(
            Length: item.Source.Size,
            ModTime: item.Source.ModTime,
            // Only where the destination keeps it natively: elsewhere it would cost a sidecar record per file.
            ContentType: destination.Vfs.Features.Metadata is not null ? item.Source.ContentType : null);
        for (var attempt = 1; ; attempt++)
        {
            CountingStream? counting = null;
            try
            {
                var stream = await source.Vfs.OpenReadAsync(item.Path, null, cancellationToken).ConfigureAwait(false);
                counting = new CountingStream(stream, progress);
                await using (counting.ConfigureAwait(false))
                {
                    await destination.Vfs.PutAsync(item.Path, counting, put, cancellationToken).ConfigureAwait(false);
                }

                progress.FileCopied(item.Path.Value);
                return;
            }
            catch (Exception e) when (e is VfsException or IOException)
            {
                progress.Rewind(counting?.Count ?? 0);
                if (e is VfsException { IsTransient: true } && attempt < options.Attempts)
                {
                    await Task.Delay(TimeSpan.FromSeconds(attempt), cancellationToken).ConfigureAwait(false);
                    continue;
                }

                progress.Error($"cannot copy '{item.Path}': {e.Message}");
                return;
            }
        }
    }

    /// <summary>Hashes the side that has no MD5 of its own and compares it with the other's.</summary>
    private async Task<bool> SameContentAsync(CopyItem item, CancellationToken cancellationToken)
    {
        var sourceMd5 = TransferPlanner.Md5Of(item.Source) ?? await Md5Async(source.Vfs, item.Path, cancellationToken).ConfigureAwait(false);
        var destMd5 = TransferPlanner.Md5Of(item.Destination!) ?? await Md5Async(destination.Vfs, item.Path, cancellationToken).ConfigureAwait(false);
        return sourceMd5 == destMd5;
    }

    private static async Task<string> Md5Async(VirtualFileSystem vfs, VfsPath path, CancellationToken cancellationToken)
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var stream = await vfs.OpenReadAsync(path, null, cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            await StreamCopier.CopyAsync(stream, Stream.Null, null, md5, cancellationToken).ConfigureAwait(false);
        }

        return Convert.ToHexStringLower(md5.GetHashAndReset());
    }

    private async Task DeleteAsync(VfsPath path, CancellationToken cancellationToken)
    {
        if (options.DryRun)
        {
            Print($"Would delete: {path}");
            progress.FileDeleted(path.Value, announce: false);
            return;
        }

        try
        {
            await destination.Vfs.DeleteAsync(path, cancellationToken).ConfigureAwait(false);
            progress.FileDeleted(path.Value);
        }
        catch (VfsException e) when (e.Kind == VfsErrorKind.NotFound)
        {
            // Gone already: the goal is met.
        }
        catch (VfsException e)
        {
            progress.Error($"cannot delete '{path}': {e.Message}");
        }
    }

    private async Task RmdirAsync(VfsPath dir, CancellationToken cancellationToken)
    {
        if (options.DryRun)
        {
            Print($"Would remove directory: {dir}");
            return;
        }

        try
        {
            await destination.Vfs.RmdirAsync(dir, cancellationToken).ConfigureAwait(false);
        }
        catch (VfsException e) when (e.Kind is VfsErrorKind.DirNotFound or VfsErrorKind.NotFound or VfsErrorKind.DirNotEmpty or VfsErrorKind.NotSupported)
        {
            // Bucket-based backends drop a prefix with its last file; a directory something else
            // still uses stays.
        }
    }

    private void Print(string line)
    {
        lock (_outputLock)
        {
            output.WriteLine(line);
        }
    }
}
