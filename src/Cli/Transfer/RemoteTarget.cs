using Microsoft.Extensions.Logging.Abstractions;
using VfsGateway.Cli.Commands;
using VfsGateway.Cli.Remotes;
using VfsGateway.Vfs;

namespace VfsGateway.Cli.Transfer;

/// <summary>
/// A remote opened through the Vfs for the one-shot commands (ls, cat, copy, sync). A remote whose
/// path names a file (`local:/tmp/a.txt`, `s3:bucket/key`) is opened at its parent with
/// <see cref="File"/> set, as rclone does: bucket-based backends call every root a directory, so
/// there the parent is asked about the last segment too.
/// </summary>
internal sealed class RemoteTarget : IAsyncDisposable
{
    private RemoteTarget(ResolvedRemote remote, VirtualFileSystem vfs, Entry? file)
    {
        Remote = remote;
        Vfs = vfs;
        File = file;
    }

    public ResolvedRemote Remote { get; }

    public VirtualFileSystem Vfs { get; }

    /// <summary>The file the remote names (its path is relative to the opened parent), or null for a directory.</summary>
    public Entry? File { get; }

    /// <summary>Opens the remote as a directory (a destination).</summary>
    public static async Task<RemoteTarget> OpenDirectoryAsync(ResolvedRemote remote, CancellationToken cancellationToken) =>
        new(remote, await OpenVfsAsync(remote, cancellationToken).ConfigureAwait(false), null);

    /// <summary>Opens the remote, finding out whether it names a file or a directory.</summary>
    public static async Task<RemoteTarget> OpenAsync(ResolvedRemote remote, CancellationToken cancellationToken)
    {
        var vfs = await OpenVfsAsync(remote, cancellationToken).ConfigureAwait(false);
        try
        {
            Entry? root;
            try
            {
                root = await vfs.StatAsync(VfsPath.Root, cancellationToken).ConfigureAwait(false);
            }
            catch (VfsException e) when (e.Kind is VfsErrorKind.NotFound or VfsErrorKind.DirNotFound)
            {
                root = null;
            }

            if (root is { IsDirectory: true } && !vfs.Features.BucketBased)
            {
                return new RemoteTarget(remote, vfs, null);
            }

            if (await TryOpenFileAsync(remote, cancellationToken).ConfigureAwait(false) is { } file)
            {
                await vfs.DisposeAsync().ConfigureAwait(false);
                return file;
            }

            return new RemoteTarget(remote, vfs, null);
        }
        catch
        {
            await vfs.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Every entry below the root (empty when the root does not exist), or the one file.</summary>
    public async Task<List<Entry>> ListAllAsync(CancellationToken cancellationToken)
    {
        if (File is { } file)
        {
            return [file];
        }

        var entries = new List<Entry>();
        try
        {
            await foreach (var entry in Vfs.ListRecursiveAsync(VfsPath.Root, cancellationToken).ConfigureAwait(false))
            {
                entries.Add(entry);
            }
        }
        catch (VfsException e) when (e.Kind is VfsErrorKind.DirNotFound or VfsErrorKind.NotFound)
        {
            return [];
        }

        return entries;
    }

    /// <summary>True when the root exists (as a directory) or names a file.</summary>
    public async Task<bool> ExistsAsync(CancellationToken cancellationToken)
    {
        if (File is not null)
        {
            return true;
        }

        try
        {
            return (await Vfs.StatAsync(VfsPath.Root, cancellationToken).ConfigureAwait(false)).IsDirectory;
        }
        catch (VfsException e) when (e.Kind is VfsErrorKind.NotFound or VfsErrorKind.DirNotFound)
        {
            return false;
        }
    }

    public ValueTask DisposeAsync() => Vfs.DisposeAsync();

    /// <summary>"a/b/c" → ("a/b/", "c"); null when the root has no last segment to split off.</summary>
    internal static (string Parent, string Leaf)? SplitRoot(string root)
    {
        var trimmed = root.TrimEnd('/');
        var slash = trimmed.LastIndexOf('/');
        var leaf = trimmed[(slash + 1)..];
        if (leaf.Length == 0 || leaf is "." or ".." or "~" || !VfsPath.TryParse(leaf, out _, out _))
        {
            return null;
        }

        return (slash < 0 ? string.Empty : trimmed[..(slash + 1)], leaf);
    }

    private static async Task<RemoteTarget?> TryOpenFileAsync(ResolvedRemote remote, CancellationToken cancellationToken)
    {
        if (SplitRoot(remote.Config.Root) is not var (parentRoot, leaf))
        {
            return null;
        }

        VirtualFileSystem parent;
        try
        {
            parent = await OpenVfsAsync(remote with { Config = new Vfs.Registry.BackendConfig(remote.Config) { Root = parentRoot } }, cancellationToken).ConfigureAwait(false);
        }
        catch (CliException)
        {
            // The parent is not a remote of its own (a host name, an account root): the path is a directory.
            return null;
        }

        try
        {
            var entry = await parent.StatAsync(VfsPath.Parse(leaf), cancellationToken).ConfigureAwait(false);
            if (!entry.IsDirectory)
            {
                return new RemoteTarget(remote, parent, entry);
            }
        }
        catch (VfsException)
        {
            // Missing or unreadable as a file: the caller reports the remote itself.
        }

        await parent.DisposeAsync().ConfigureAwait(false);
        return null;
    }

    private static async Task<VirtualFileSystem> OpenVfsAsync(ResolvedRemote remote, CancellationToken cancellationToken)
    {
        var backend = await RemoteSupport.OpenAsync(remote, null, cancellationToken).ConfigureAwait(false);
        return new VirtualFileSystem(backend, VfsOptions.Default, NullLogger<VirtualFileSystem>.Instance);
    }
}
