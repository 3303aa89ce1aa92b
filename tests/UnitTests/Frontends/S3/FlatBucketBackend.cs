using System.Runtime.CompilerServices;
using VfsGateway.Vfs;
using VfsGateway.Vfs.Metadata;

namespace VfsGateway.UnitTests.Frontends.S3;

/// <summary>
/// A bucket-based backend for unit tests: a flat, sorted map of key → object, as S3 and Azure keep
/// them (the memory backend is a tree of folders, path-based like local). Directories are prefixes;
/// mkdir writes the empty "dir/" marker the S3 backend writes; a directory key ("dir/") is an
/// object like any other; metadata is stored with the object (native, like S3's and Azure's).
/// </summary>
internal sealed class FlatBucketBackend : IBackend, IMetadataStorage
{
    private readonly SortedDictionary<string, (byte[] Data, DateTimeOffset Time, ObjectMetadata? Metadata)> _objects = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public FlatBucketBackend() => Features = BackendFeatures.Discover(this, bucketBased: true, canHaveEmptyDirectories: true);

    public BackendFeatures Features { get; }

    /// <summary>The stored keys, in order.</summary>
    public string[] Keys
    {
        get
        {
            lock (_lock)
            {
                return [.. _objects.Keys];
            }
        }
    }

    public async IAsyncEnumerable<Entry> ListAsync(VfsPath dir, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        var prefix = dir.IsRoot ? string.Empty : dir.Value + "/";
        var entries = new List<Entry>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        lock (_lock)
        {
            foreach (var (key, value) in _objects.Where(o => o.Key.StartsWith(prefix, StringComparison.Ordinal)))
            {
                var rest = key[prefix.Length..];
                var slash = rest.IndexOf('/', StringComparison.Ordinal);
                if (rest.Length == 0)
                {
                    if (!dir.IsRoot)
                    {
                        entries.Add(Entry.File(dir.AsDirectoryKey(), value.Data.Length, value.Time));
                    }
                }
                else if (slash < 0)
                {
                    entries.Add(Entry.File(dir.Join(rest), value.Data.Length, value.Time));
                }
                else if (seen.Add(rest[..slash]))
                {
                    entries.Add(Entry.Directory(dir.Join(rest[..slash])));
                }
            }
        }

        foreach (var entry in entries)
        {
            yield return entry;
        }
    }

    public ValueTask<Entry> StatAsync(VfsPath path, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (path.IsRoot)
            {
                return ValueTask.FromResult(Entry.Directory(path));
            }

            if (_objects.TryGetValue(path.Value, out var o))
            {
                return ValueTask.FromResult(Entry.File(path, o.Data.Length, o.Time));
            }

            return !path.IsDirectoryKey && _objects.Keys.Any(k => k.StartsWith(path.Value + "/", StringComparison.Ordinal))
                ? ValueTask.FromResult(Entry.Directory(path))
                : ValueTask.FromException<Entry>(VfsException.NotFound(path));
        }
    }

    public ValueTask<Stream> OpenReadAsync(VfsPath path, ByteRange? range, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_objects.TryGetValue(path.Value, out var o))
            {
                return ValueTask.FromException<Stream>(VfsException.NotFound(path));
            }

            var offset = (int)Math.Min(range?.Offset ?? 0, o.Data.Length);
            var length = (int)Math.Min(range?.Length ?? long.MaxValue, o.Data.Length - offset);
            return ValueTask.FromResult<Stream>(new MemoryStream(o.Data, offset, length, writable: false));
        }
    }

    public async ValueTask<Entry> PutAsync(VfsPath path, Stream content, PutOptions options, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken);
        var metadata = await options.ResolveMetadataAsync(cancellationToken);
        var time = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        lock (_lock)
        {
            _objects[path.Value] = (buffer.ToArray(), time, metadata);
        }

        return Entry.File(path, buffer.Length, time);
    }

    public ValueTask DeleteAsync(VfsPath path, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return _objects.Remove(path.Value) ? ValueTask.CompletedTask : ValueTask.FromException(VfsException.NotFound(path));
        }
    }

    public ValueTask MkdirAsync(VfsPath dir, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!dir.IsRoot)
            {
                _objects.TryAdd(dir.Value + "/", ([], DateTimeOffset.UtcNow, null));
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask RmdirAsync(VfsPath dir, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var marker = dir.Value + "/";
            var below = _objects.Keys.Where(k => k.StartsWith(marker, StringComparison.Ordinal)).ToList();
            if (below.Any(k => k != marker))
            {
                return ValueTask.FromException(VfsException.DirNotEmpty(dir));
            }

            return _objects.Remove(marker) ? ValueTask.CompletedTask : ValueTask.FromException(VfsException.DirNotFound(dir));
        }
    }

    public ValueTask<ObjectMetadata?> GetMetadataAsync(Entry file, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(_objects.TryGetValue(file.Path.Value, out var o) ? o.Metadata : null);
        }
    }

    public ValueTask SetMetadataAsync(Entry file, ObjectMetadata metadata, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_objects.TryGetValue(file.Path.Value, out var o))
            {
                return ValueTask.FromException(VfsException.NotFound(file.Path));
            }

            _objects[file.Path.Value] = o with { Metadata = metadata };
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
