using System.Collections.Concurrent;
using Prometheus;
using VfsGateway.Vfs;

namespace VfsGateway.Frontends.Restic;

/// <summary>
/// Per repository gauges (rest-server issues #176, #256): size, last snapshot and last write.
/// A repository is measured once, when an upload or delete first touches it (its config and
/// five type directories are listed, nothing else), and then kept up to date by every
/// successful upload and delete, so a scrape never walks storage. Every writer awaits the
/// measurement before it touches storage, so the walk cannot see half of a tracked change.
/// </summary>
internal sealed class ResticRepositoryMetrics
{
    private static readonly string[] LabelNames = ["repo"];

    private readonly ConcurrentDictionary<string, Lazy<Task<Repository>>> _repositories = new(StringComparer.Ordinal);
    private readonly Gauge _size;
    private readonly Gauge _lastSnapshot;
    private readonly Gauge _lastWrite;
    private readonly TimeProvider _time;

    public ResticRepositoryMetrics(IMetricFactory factory, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _time = time ?? TimeProvider.System;
        _size = factory.CreateGauge("rest_server_repo_size_bytes", "Bytes stored in the repository (config and objects)", LabelNames);
        _lastSnapshot = factory.CreateGauge("rest_server_repo_last_snapshot_timestamp_seconds", "Unix time of the repository's newest snapshot file", LabelNames);
        _lastWrite = factory.CreateGauge("rest_server_repo_last_write_timestamp_seconds", "Unix time of the last file written to the repository", LabelNames);
    }

    /// <summary>
    /// The repository's tracker, measured first if this is its first use. The measurement is
    /// shared by every caller and does not stop when one caller gives up; a failed one is retried
    /// by the next caller.
    /// </summary>
    public async Task<Repository> GetAsync(VirtualFileSystem vfs, VfsPath repository, CancellationToken cancellationToken)
    {
        var key = repository.Value;
        var lazy = _repositories.GetOrAdd(key, k => new Lazy<Task<Repository>>(() => MeasureAsync(vfs, repository, k)));
        var measure = lazy.Value;
        try
        {
            return await measure.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch when (measure.IsFaulted)
        {
            // A backend error during the walk: this caller gets it, the next one measures again.
            _repositories.TryRemove(new KeyValuePair<string, Lazy<Task<Repository>>>(key, lazy));
            throw;
        }
    }

    private async Task<Repository> MeasureAsync(VirtualFileSystem vfs, VfsPath path, string label)
    {
        // Not the request's token: other requests wait for the same walk.
        var cancellationToken = CancellationToken.None;
        await Task.Yield();
        long size = 0;
        DateTimeOffset? lastWrite = null;
        DateTimeOffset? lastSnapshot = null;
        try
        {
            var config = await vfs.StatAsync(path.Join("config"), cancellationToken).ConfigureAwait(false);
            if (!config.IsDirectory)
            {
                size += config.Size;
                lastWrite = config.ModTime;
            }
        }
        catch (VfsException e) when (e.Kind is VfsErrorKind.NotFound or VfsErrorKind.DirNotFound)
        {
        }

        foreach (var directory in ResticFrontend.ObjectDirectories)
        {
            try
            {
                await foreach (var entry in vfs.ListRecursiveAsync(path.Join(directory), cancellationToken).ConfigureAwait(false))
                {
                    if (entry.IsDirectory)
                    {
                        continue;
                    }

                    size += entry.Size;
                    lastWrite = Max(lastWrite, entry.ModTime);
                    if (directory == "snapshots")
                    {
                        lastSnapshot = Max(lastSnapshot, entry.ModTime);
                    }
                }
            }
            catch (VfsException e) when (e.Kind is VfsErrorKind.NotFound or VfsErrorKind.DirNotFound)
            {
                // A repository (or type directory) that does not exist yet holds nothing.
            }
        }

        return new Repository(this, label, size, lastWrite, lastSnapshot);
    }

    /// <summary>
    /// Starting values from a walk of the whole remote made anyway (the --max-size usage scan):
    /// every repository found there is measured without a walk of its own.
    /// </summary>
    public Seed BeginSeed() => new(this);

    private static DateTimeOffset Max(DateTimeOffset? current, DateTimeOffset candidate) =>
        current is { } c && c >= candidate ? c : candidate;

    /// <summary>Collects files of a full walk by repository; <see cref="Complete"/> publishes them.</summary>
    public sealed class Seed(ResticRepositoryMetrics owner)
    {
        private readonly Dictionary<string, (long Size, DateTimeOffset? LastWrite, DateTimeOffset? LastSnapshot)> _found = new(StringComparer.Ordinal);

        /// <summary>Counts a file when it is a repository's config or object (by restic's layout); anything else is not a repository's.</summary>
        public void Add(Entry file)
        {
            ArgumentNullException.ThrowIfNull(file);
            if (!ResticFrontend.TryRepositoryOf(file.Path, out var repository, out var snapshot))
            {
                return;
            }

            _found.TryGetValue(repository, out var figures);
            _found[repository] = (
                figures.Size + file.Size,
                Max(figures.LastWrite, file.ModTime),
                snapshot ? Max(figures.LastSnapshot, file.ModTime) : figures.LastSnapshot);
        }

        public void Complete()
        {
            foreach (var (label, figures) in _found)
            {
                var repository = new Repository(owner, label, figures.Size, figures.LastWrite, figures.LastSnapshot);
                owner._repositories[label] = new Lazy<Task<Repository>>(Task.FromResult(repository));
            }
        }
    }

    /// <summary>One repository's figures; updates are serialized so size and gauges agree.</summary>
    public sealed class Repository
    {
        private readonly ResticRepositoryMetrics _owner;
        private readonly string _label;
        private readonly object _lock = new();
        private readonly Dictionary<VfsPath, PathState> _inFlight = [];
        private long _size;

        internal Repository(ResticRepositoryMetrics owner, string label, long size, DateTimeOffset? lastWrite, DateTimeOffset? lastSnapshot)
        {
            _owner = owner;
            _label = label;
            _size = size;
            owner._size.WithLabels(label).Set(size);
            if (lastWrite is { } write)
            {
                owner._lastWrite.WithLabels(label).Set(write.ToUnixTimeMilliseconds() / 1000.0);
            }

            if (lastSnapshot is { } snapshot)
            {
                owner._lastSnapshot.WithLabels(label).Set(snapshot.ToUnixTimeMilliseconds() / 1000.0);
            }
        }

        /// <summary>
        /// Registers an upload of <paramref name="path"/> before the caller looks for an existing
        /// object (as <see cref="ResticQuota.Begin"/>), so that parallel uploads of one name (a
        /// retry while the first attempt still runs) add its size once.
        /// </summary>
        public Upload Begin(VfsPath path)
        {
            lock (_lock)
            {
                if (!_inFlight.TryGetValue(path, out var state))
                {
                    state = new PathState();
                    _inFlight.Add(path, state);
                }

                state.Uploads++;
                return new Upload(this, path, state);
            }
        }

        private void Written(ResticObjectType type, long bytes, long replaced)
        {
            var now = _owner._time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
            _size += bytes - replaced;
            _owner._size.WithLabels(_label).Set(_size);
            _owner._lastWrite.WithLabels(_label).Set(now);
            if (type == ResticObjectType.Snapshots)
            {
                _owner._lastSnapshot.WithLabels(_label).Set(now);
            }
        }

        internal sealed class PathState
        {
            public int Uploads { get; set; }

            public long? Committed { get; set; }
        }

        /// <summary>One upload's view of its path; dispose it on every path out.</summary>
        public sealed class Upload : IDisposable
        {
            private readonly Repository _repository;
            private readonly VfsPath _path;
            private readonly PathState _state;
            private bool _disposed;

            internal Upload(Repository repository, VfsPath path, PathState state)
            {
                _repository = repository;
                _path = path;
                _state = state;
            }

            /// <summary>The upload succeeded with <paramref name="size"/> bytes; <paramref name="existingSize"/> is what the caller found before it started.</summary>
            public void Commit(ResticObjectType type, long? existingSize, long size)
            {
                lock (_repository._lock)
                {
                    var replaced = _state.Committed ?? existingSize ?? 0;
                    _state.Committed = size;
                    _repository.Written(type, size, replaced);
                }
            }

            public void Dispose()
            {
                if (_disposed)
                {
                    return;
                }

                _disposed = true;
                lock (_repository._lock)
                {
                    if (--_state.Uploads == 0)
                    {
                        _repository._inFlight.Remove(_path);
                    }
                }
            }
        }

        /// <summary>A successful delete of an object of <paramref name="bytes"/> bytes.</summary>
        public void Deleted(long bytes)
        {
            lock (_lock)
            {
                _size = Math.Max(0, _size - bytes);
                _owner._size.WithLabels(_label).Set(_size);
            }
        }
    }
}
