using System.Globalization;
using System.Security.Cryptography;
using VfsGateway.Vfs;

namespace VfsGateway.Backends.Memory;

/// <summary>Tree walking and content building; every tree access happens under <c>_lock</c>.</summary>
internal sealed partial class MemoryBackend
{
    private void Enter(string operation, VfsPath path, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (FaultInjector?.Invoke(operation, path) is { } fault)
        {
            throw fault;
        }
    }

    private IEnumerable<Entry> ListSnapshot(VfsPath dir, CancellationToken cancellationToken)
    {
        Enter("list", dir, cancellationToken);
        Entry[] entries;
        lock (_lock)
        {
            entries = [.. GetDirectory(dir).Children.Select(kv => ToEntry(dir.Join(kv.Key), kv.Value))];
        }

        foreach (var entry in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return entry;
        }
    }

    private IEnumerable<Entry> ListRecursiveSnapshot(VfsPath dir, CancellationToken cancellationToken)
    {
        Enter("listrecursive", dir, cancellationToken);
        var entries = new List<Entry>();
        lock (_lock)
        {
            var pending = new Stack<(VfsPath Path, MemoryDirectory Dir)>();
            pending.Push((dir, GetDirectory(dir)));
            while (pending.TryPop(out var current))
            {
                foreach (var (name, node) in current.Dir.Children)
                {
                    var path = current.Path.Join(name);
                    entries.Add(ToEntry(path, node));
                    if (node is MemoryDirectory child)
                    {
                        pending.Push((path, child));
                    }
                }
            }
        }

        foreach (var entry in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return entry;
        }
    }

    /// <summary>The node at a backend path, or null when it (or a parent) is missing or a parent is a file.</summary>
    private object? Find(VfsPath path) => FindFull(Options.Root.Combine(path));

    private object? FindFull(VfsPath full)
    {
        object node = _store;
        foreach (var segment in full.Segments)
        {
            if (node is not MemoryDirectory dir || !dir.Children.TryGetValue(segment, out var child))
            {
                return null;
            }

            node = child;
        }

        return node;
    }

    private MemoryFile GetFile(VfsPath path) => Find(path) switch
    {
        MemoryFile f => f,
        MemoryDirectory => throw VfsException.IsDirectory(path),
        _ => throw VfsException.NotFound(path),
    };

    private MemoryDirectory GetDirectory(VfsPath dir) => Find(dir) switch
    {
        MemoryDirectory d => d,
        MemoryFile => throw VfsException.NotDirectory(dir),
        _ => throw VfsException.DirNotFound(dir),
    };

    /// <summary>Throws unless a file may be stored at <paramref name="path"/>: it is not a directory and no parent is a file.</summary>
    private void CheckFileTarget(VfsPath path)
    {
        if (path.IsRoot)
        {
            throw new VfsException(VfsErrorKind.Invalid, "cannot write to the root");
        }

        if (EnsureDirectory(path.Parent, create: false) is { } parent &&
            parent.Children.TryGetValue(path.Name, out var existing) && existing is MemoryDirectory)
        {
            throw VfsException.IsDirectory(path);
        }
    }

    /// <summary>
    /// Walks to <paramref name="dir"/> (creating missing directories when <paramref name="create"/>);
    /// throws NotDirectory when a segment is a file; returns null only when not creating and missing.
    /// </summary>
    private MemoryDirectory? EnsureDirectory(VfsPath dir, bool create)
    {
        var node = _store;
        var full = VfsPath.Root;
        foreach (var segment in Options.Root.Combine(dir).Segments)
        {
            full = full.Join(segment);
            if (!node.Children.TryGetValue(segment, out var child))
            {
                if (!create)
                {
                    return null;
                }

                child = new MemoryDirectory(DateTimeOffset.UtcNow);
                node.Children.Add(segment, child);
            }

            node = child as MemoryDirectory ?? throw VfsException.NotDirectory(full.IsUnder(Options.Root) ? full.RelativeTo(Options.Root) : full);
        }

        return node;
    }

    private static Entry ToEntry(VfsPath path, object node) => node switch
    {
        MemoryFile f => Entry.File(path, f.Length, f.ModTime, f.ETag, f.ContentType),
        MemoryDirectory d => Entry.Directory(path, d.ModTime),
        _ => throw new InvalidOperationException("unknown node type"),
    };

    /// <summary>Reads the whole content into fresh chunks; nothing is visible until the caller swaps it in.</summary>
    private async ValueTask<MemoryFile> ReadContentAsync(Stream content, PutOptions options, CancellationToken cancellationToken)
    {
        var chunks = await ReadChunksAsync(content, options.Length, hash: null, cancellationToken).ConfigureAwait(false);

        // The ETag the writer computed (an S3 MD5) is what a later If-Match names; the Vfs asks the
        // provider again for its sidecar record, which costs nothing here.
        var shown = options.ObjectMetadataProvider is null ? null : (await options.ResolveMetadataAsync(cancellationToken).ConfigureAwait(false))?.ETag;
        return new MemoryFile(chunks.Build(), chunks.Length, options.ModTime?.ToUniversalTime() ?? DateTimeOffset.UtcNow, NextETag(), options.ContentType, shown);
    }

    /// <summary>Throws PreconditionFailed unless <paramref name="condition"/> holds for what is at <paramref name="path"/> now. Under the lock.</summary>
    private void CheckCondition(VfsPath path, PutCondition? condition)
    {
        if (condition is null)
        {
            return;
        }

        var current = Find(path) as MemoryFile;
        if (condition.IfNoneMatchAny && current is not null)
        {
            throw new VfsException(VfsErrorKind.PreconditionFailed, $"'{path}' exists", path.Value);
        }

        if (condition.IfMatch is { } etag)
        {
            if (current is null)
            {
                throw VfsException.NotFound(path);
            }

            if (!current.Matches(etag))
            {
                throw new VfsException(VfsErrorKind.PreconditionFailed, $"'{path}' has another ETag", path.Value);
            }
        }
    }

    /// <summary>
    /// Reads <paramref name="length"/> bytes (to the end when null) into new chunks, feeding them to
    /// <paramref name="hash"/> on the way; a stream that ends early is <see cref="VfsErrorKind.Invalid"/>.
    /// </summary>
    private static async ValueTask<MemoryChunkBuilder> ReadChunksAsync(Stream content, long? length, IncrementalHash? hash, CancellationToken cancellationToken)
    {
        var chunks = new MemoryChunkBuilder();
        while (length is not { } limit || chunks.Length < limit)
        {
            var space = chunks.GetSpace();
            if (length is { } l && l - chunks.Length < space.Length)
            {
                space = space[..(int)(l - chunks.Length)];
            }

            var read = await content.ReadAsync(space, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            hash?.AppendData(space.Span[..read]);
            chunks.Advance(read);
        }

        if (length is { } expected && chunks.Length < expected)
        {
            throw new VfsException(VfsErrorKind.Invalid, $"content ended after {chunks.Length} of {expected} bytes");
        }

        return chunks;
    }

    /// <summary>A fresh ETag for a new version: a counter, so every write (even of equal bytes) gets its own.</summary>
    private string NextETag() => Interlocked.Increment(ref _generation).ToString("x16", CultureInfo.InvariantCulture);
}
