namespace VfsGateway.Vfs.Cache;

internal sealed partial class VfsCache
{
    private const int ENOSPC = 28;
    private const int ErrorDiskFull = 112;
    private const int ErrorHandleDiskFull = 39;

    /// <summary>Test hook: throws the exception it returns before a cache write (to simulate a full disk).</summary>
    internal Func<Exception?>? WriteFault { get; set; }

    /// <summary>
    /// Runs a cache-directory write; when the disk is full, evicts every clean unused item and tries
    /// once more, then gives up with <see cref="VfsErrorKind.InsufficientStorage"/>.
    /// </summary>
    private async ValueTask WithSpaceRetryAsync(Func<ValueTask> write)
    {
        try
        {
            ThrowInjectedFault();
            await write().ConfigureAwait(false);
            return;
        }
        catch (IOException e) when (IsNoSpace(e))
        {
            CacheLog.NoSpace(_logger);
        }

        await _evictor.EvictAsync(forSpace: true).ConfigureAwait(false);
        try
        {
            ThrowInjectedFault();
            await write().ConfigureAwait(false);
        }
        catch (IOException e) when (IsNoSpace(e))
        {
            throw new VfsException(VfsErrorKind.InsufficientStorage, $"the vfs cache directory '{_store.Root}' is full", null, e);
        }
    }

    internal static bool IsNoSpace(IOException e)
    {
        var code = e.HResult & 0xFFFF;
        return e.HResult == ENOSPC || code == ErrorDiskFull || code == ErrorHandleDiskFull
            || e.Message.Contains("No space left on device", StringComparison.OrdinalIgnoreCase);
    }

    private void ThrowInjectedFault()
    {
        if (WriteFault?.Invoke() is { } fault)
        {
            throw fault;
        }
    }
}
