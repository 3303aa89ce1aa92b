using System.Runtime.CompilerServices;
using VfsGateway.Vfs;

namespace VfsGateway.Frontends.S3.Handlers;

/// <summary>
/// Streams the keys of a bucket in UTF-8 order, starting after a marker, without walking the whole
/// tree per page: each directory is listed once and sorted (children sort by name plus '/' for
/// directories, which puts every key of the tree in global order); subtrees entirely at or
/// before the marker, or outside the prefix, are never listed; with a delimiter, a subtree whose
/// common prefix is already decided is not entered. On a bucket-based backend the object "dir/"
/// comes from the listing of "dir" (its directory key, with an empty name, so it sorts before every
/// key below it), and "a" and "a/" are two children; elsewhere an empty directory is reported as
/// its directory-marker key ("dir/"), which is how S3 clients create and see empty folders.
/// </summary>
internal sealed class KeyWalker(VirtualFileSystem vfs, VfsPath bucket, string prefix, string? delimiter, string? after)
{
    private string? _lastPrefix;

    public async IAsyncEnumerable<ListItem> WalkAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var slash = prefix.LastIndexOf('/');
        var startKey = slash < 0 ? string.Empty : prefix[..(slash + 1)];
        VfsPath start;
        if (startKey.Length == 0)
        {
            start = bucket;
        }
        else if (VfsPath.TryParse(startKey[..^1], out var relative, out _) && relative.Value == startKey[..^1])
        {
            start = bucket.Combine(relative);
        }
        else
        {
            // A prefix that is not a canonical directory path matches nothing that can be stored.
            yield break;
        }

        await foreach (var item in WalkDirectoryAsync(start, startKey, null, cancellationToken).ConfigureAwait(false))
        {
            yield return item;
        }
    }

    /// <summary>The keys below <paramref name="dir"/>; <paramref name="dirTime"/> is its modification time when the caller has it (the marker key's LastModified).</summary>
    private async IAsyncEnumerable<ListItem> WalkDirectoryAsync(VfsPath dir, string dirKey, DateTimeOffset? dirTime, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var children = new List<(string Key, Entry Entry)>();
        try
        {
            await foreach (var entry in vfs.ListAsync(dir, includeDirectoryKey: dirKey.Length > 0, cancellationToken).ConfigureAwait(false))
            {
                children.Add((dirKey + entry.Name + (entry.IsDirectory ? "/" : string.Empty), entry));
            }
        }
        catch (VfsException e) when (e.Kind is VfsErrorKind.DirNotFound or VfsErrorKind.NotFound or VfsErrorKind.NotDirectory)
        {
            yield break;
        }

        // On bucket-based storage "dir/" is an object of its own, listed with its directory: an empty
        // listing there is a prefix that holds nothing (no key "dir/" to make up).
        if (children.Count == 0)
        {
            if (!vfs.Features.BucketBased && dirKey.Length > 0 && dirKey.StartsWith(prefix, StringComparison.Ordinal) && After(dirKey) && Rolled(dirKey) is var rolled)
            {
                if (rolled is null)
                {
                    dirTime ??= (await TryStatAsync(dir, cancellationToken).ConfigureAwait(false))?.ModTime;
                    if (dirTime is { } time)
                    {
                        yield return new ListItem(dirKey, Entry.File(dir, 0, time));
                    }
                }
                else if (rolled != _lastPrefix && After(rolled))
                {
                    _lastPrefix = rolled;
                    yield return new ListItem(rolled, null);
                }
            }

            yield break;
        }

        children.Sort((a, b) => Utf8Order.CompareKeys(a.Key, b.Key));
        foreach (var (key, entry) in children)
        {
            if (!entry.IsDirectory)
            {
                if (!key.StartsWith(prefix, StringComparison.Ordinal) || !After(key))
                {
                    continue;
                }

                if (Rolled(key) is { } common)
                {
                    if (common != _lastPrefix && After(common))
                    {
                        _lastPrefix = common;
                        yield return new ListItem(common, null);
                    }

                    continue;
                }

                yield return new ListItem(key, entry);
                continue;
            }

            var inPrefix = key.StartsWith(prefix, StringComparison.Ordinal);
            if (!inPrefix && !prefix.StartsWith(key, StringComparison.Ordinal))
            {
                continue;
            }

            // Every key below lies at or before the marker.
            if (after is not null && Utf8Order.CompareKeys(key, after) < 0 && !after.StartsWith(key, StringComparison.Ordinal))
            {
                continue;
            }

            if (inPrefix && Rolled(key) is { } dirCommon && dirCommon.Length <= key.Length)
            {
                if (dirCommon != _lastPrefix && After(dirCommon))
                {
                    _lastPrefix = dirCommon;
                    yield return new ListItem(dirCommon, null);
                }

                continue;
            }

            await foreach (var item in WalkDirectoryAsync(entry.Path, key, entry.ModTime, cancellationToken).ConfigureAwait(false))
            {
                yield return item;
            }
        }
    }

    /// <summary>The directory's entry, or null when it went away (or never existed: a prefix that names nothing).</summary>
    private async Task<Entry?> TryStatAsync(VfsPath dir, CancellationToken cancellationToken)
    {
        try
        {
            return await vfs.StatAsync(dir, cancellationToken).ConfigureAwait(false);
        }
        catch (VfsException e) when (e.Kind is VfsErrorKind.NotFound or VfsErrorKind.DirNotFound or VfsErrorKind.NotDirectory)
        {
            return null;
        }
    }

    private bool After(string key) => after is null || Utf8Order.CompareKeys(key, after) > 0;

    /// <summary>The common prefix a key rolls up into, or null when the delimiter does not occur after the prefix.</summary>
    private string? Rolled(string key)
    {
        if (string.IsNullOrEmpty(delimiter))
        {
            return null;
        }

        var i = key.IndexOf(delimiter, prefix.Length, StringComparison.Ordinal);
        return i < 0 ? null : key[..(i + delimiter.Length)];
    }
}
