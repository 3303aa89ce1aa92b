using Microsoft.Extensions.Logging;

namespace VfsGateway.Vfs;

/// <summary>
/// Removes what interrupted uploads leave on backends with <see cref="BackendFeatures.PartialUploads"/>
/// (issue 12): files named by <see cref="TempNames"/> (only those, by their exact pattern), and the
/// directories that held nothing else, so a crash mid-upload of "dir/obj" leaves no empty "dir" that
/// an S3 listing would show as a "dir/" key. Top-level directories (S3 buckets, restic repositories)
/// are never removed. At startup every temp file last written before the process started goes (a
/// killed process finishes no upload); the periodic sweep takes only those unmodified for
/// <see cref="VfsOptions.TempSweepAge"/>. Either way a live upload, of this or of another gateway
/// instance over the same storage, keeps writing to its file and is left alone.
/// </summary>
internal sealed partial class TempSweeper(IBackend backend, ILogger logger)
{
    /// <summary>
    /// Walks the whole tree once and removes temp files last modified before <paramref name="cutoff"/>;
    /// returns how many. Failures are logged, never thrown.
    /// </summary>
    public async Task<int> SweepAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var removed = 0;
        try
        {
            removed = (await SweepDirectoryAsync(VfsPath.Root, cutoff, cancellationToken).ConfigureAwait(false)).Removed;
        }
        catch (VfsException e) when (e.Kind is VfsErrorKind.DirNotFound or VfsErrorKind.NotFound)
        {
            // A root that does not exist yet holds nothing.
        }
        catch (Exception e) when (e is VfsException or IOException && !cancellationToken.IsCancellationRequested)
        {
            LogSweepFailed(logger, e.Message);
        }

        if (removed > 0)
        {
            LogSwept(logger, removed);
        }

        return removed;
    }

    /// <summary>Removes the temp files in <paramref name="dir"/>; true when it held temp files and is empty now.</summary>
    private async Task<(int Removed, bool EmptiedByUs)> SweepDirectoryAsync(VfsPath dir, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var removed = 0;
        var remaining = 0;
        var subdirectories = new List<VfsPath>();
        var temps = new List<VfsPath>();
        var staged = new List<VfsPath>();
        await foreach (var entry in backend.ListAsync(dir, cancellationToken).ConfigureAwait(false))
        {
            if (entry.IsDirectory && TempNames.IsTemp(entry.Name) && entry.ModTime < cutoff)
            {
                // Directories an upload was creating (staged under a temp name, then renamed into place).
                staged.Add(entry.Path);
            }
            else if (entry.IsDirectory)
            {
                subdirectories.Add(entry.Path);
            }
            else if (TempNames.IsTemp(entry.Name) && entry.ModTime < cutoff)
            {
                temps.Add(entry.Path);
            }
            else
            {
                remaining++;
            }
        }

        foreach (var temp in temps)
        {
            if (await TryAsync(ct => backend.DeleteAsync(temp, ct), cancellationToken).ConfigureAwait(false))
            {
                removed++;
            }
            else
            {
                remaining++;
            }
        }

        foreach (var tree in staged)
        {
            if (await TryAsync(ct => RemoveTreeAsync(tree, ct), cancellationToken).ConfigureAwait(false))
            {
                removed++;
                temps.Add(tree);
            }
            else
            {
                remaining++;
            }
        }

        var prunedAny = false;
        foreach (var sub in subdirectories)
        {
            var (n, emptied) = await SweepDirectoryAsync(sub, cutoff, cancellationToken).ConfigureAwait(false);
            removed += n;
            if (emptied && await TryAsync(ct => backend.RmdirAsync(sub, ct), cancellationToken).ConfigureAwait(false))
            {
                prunedAny = true;
            }
            else
            {
                remaining++;
            }
        }

        var emptiedByUs = remaining == 0 && (temps.Count > 0 || prunedAny) && dir.Depth >= 2;
        return (removed, emptiedByUs);
    }

    /// <summary>Removes a staged directory tree (only temp files and directories an interrupted upload made).</summary>
    private async ValueTask RemoveTreeAsync(VfsPath dir, CancellationToken cancellationToken)
    {
        var entries = new List<Entry>();
        await foreach (var entry in backend.ListAsync(dir, cancellationToken).ConfigureAwait(false))
        {
            entries.Add(entry);
        }

        foreach (var entry in entries)
        {
            if (entry.IsDirectory)
            {
                await RemoveTreeAsync(entry.Path, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await backend.DeleteAsync(entry.Path, cancellationToken).ConfigureAwait(false);
            }
        }

        await backend.RmdirAsync(dir, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<bool> TryAsync(Func<CancellationToken, ValueTask> operation, CancellationToken cancellationToken)
    {
        try
        {
            await operation(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (VfsException)
        {
            // Gone already, refilled meanwhile, or not ours to remove: the next sweep looks again.
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "removed {Count} temporary file(s) of interrupted uploads")]
    private static partial void LogSwept(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "sweeping temporary files of interrupted uploads failed: {Error}")]
    private static partial void LogSweepFailed(ILogger logger, string error);
}
