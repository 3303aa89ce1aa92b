using System.Text.Json;

namespace VfsGateway.Vfs.Cache;

/// <summary>
/// The on-disk side of the cache: the lock file, records and data files. Layout:
/// <c>lock</c>, <c>items/&lt;k2&gt;/&lt;key&gt;.json</c> (the record) and
/// <c>items/&lt;k2&gt;/&lt;key&gt;.&lt;generation&gt;.data</c> (the bytes), where key is the
/// SHA-256 of the path and k2 its first two hex digits.
/// </summary>
internal sealed class CacheStore : IDisposable
{
    private FileStream? _lock;

    public CacheStore(string root)
    {
        Root = root;
        Directory.CreateDirectory(Path.Combine(root, CacheNames.ItemsDir));
        var lockPath = Path.Combine(root, CacheNames.LockFile);
        try
        {
            // FileShare.None is an exclusive flock(2) on Unix: the kernel drops it when the process
            // dies (kill -9 included), so a stale lock file never blocks a restart.
            _lock = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new VfsException(
                VfsErrorKind.AlreadyExists,
                $"cache directory '{root}' is in use by another gateway process (lock file '{lockPath}' is held); " +
                "stop that process or give this one a different --cache-dir",
                root,
                e);
        }

        _lock.SetLength(0);
        var pid = System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId + "\n");
        _lock.Write(pid);
        _lock.Flush();
    }

    public string Root { get; }

    /// <summary>
    /// Runs the record serializer once at start. Its first use in a process loads and compiles the
    /// JSON writer (~0.1 s), and records are written under an item's lock: without this the
    /// first read that fills the cache keeps the next reader of the same file waiting that long.
    /// </summary>
    public static void WarmUp()
    {
        var record = new CacheRecord
        {
            Path = "warm-up",
            Size = 0,
            ModTime = DateTimeOffset.UnixEpoch,
            State = CacheRecord.CleanState,
            Generation = 0,
            Ranges = [[0, 1]],
        };
        JsonSerializer.Serialize(Stream.Null, record, CacheJsonContext.Default.CacheRecord);
    }

    public string RecordPath(string key) => CacheNames.RecordPath(Root, key);

    public string DataPath(string key, long generation) => CacheNames.DataPath(Root, key, generation);

    /// <summary>
    /// Writes a record durably: temp file, fsync, rename over the old record, fsync the directory.
    /// The rename is the commit point of a cached write.
    /// </summary>
    public async ValueTask WriteRecordAsync(string key, CacheRecord record, CancellationToken cancellationToken)
    {
        var dir = CacheNames.ItemDir(Root, key);
        Directory.CreateDirectory(dir);
        var temp = CacheNames.TempPath(dir, key + CacheNames.RecordSuffix);
        try
        {
            var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                await JsonSerializer.SerializeAsync(stream, record, CacheJsonContext.Default.CacheRecord, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, RecordPath(key), overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }

        FileSync.SyncDirectory(dir);
    }

    /// <summary>Removes an item's record first (so a crash cannot resurrect it), then its data files.</summary>
    public void DeleteItem(string key, long generation)
    {
        TryDelete(RecordPath(key));
        TryDelete(DataPath(key, generation));
    }

    public void DeleteData(string key, long generation) => TryDelete(DataPath(key, generation));

    /// <summary>
    /// Reads every record at start and removes what a crash left behind: temp files, data files no
    /// record names (writes that were never acknowledged), unreadable records, and dirty records
    /// whose data is missing or has the wrong size (reported through <paramref name="onLost"/>).
    /// </summary>
    public List<CacheRecord> Recover(Action<string, string> onLost)
    {
        var records = new List<CacheRecord>();
        foreach (var dir in Directory.EnumerateDirectories(Path.Combine(Root, CacheNames.ItemsDir)))
        {
            var keep = new HashSet<string>(StringComparer.Ordinal);
            foreach (var file in Directory.EnumerateFiles(dir, "*" + CacheNames.RecordSuffix))
            {
                var key = Path.GetFileName(file)[..^CacheNames.RecordSuffix.Length];
                CacheRecord? record = null;
                try
                {
                    using var stream = File.OpenRead(file);
                    record = JsonSerializer.Deserialize(stream, CacheJsonContext.Default.CacheRecord);
                }
                catch (JsonException e)
                {
                    onLost(file, $"unreadable cache record: {e.Message}");
                }

                if (record is null || CacheNames.Key(record.Path) != key || !VfsPath.TryParse(record.Path, out _, out _))
                {
                    TryDelete(file);
                    continue;
                }

                var data = DataPath(key, record.Generation);
                var info = new FileInfo(data);
                if (record.IsDirty && (!info.Exists || info.Length != record.Size))
                {
                    onLost(record.Path, $"dirty cache data '{data}' is missing or has the wrong size; the write cannot be uploaded");
                    TryDelete(file);
                    continue;
                }

                if (!info.Exists)
                {
                    TryDelete(file);
                    continue;
                }

                keep.Add(file);
                keep.Add(data);
                records.Add(record);
            }

            foreach (var file in Directory.EnumerateFiles(dir))
            {
                if (!keep.Contains(file))
                {
                    TryDelete(file);
                }
            }
        }

        return records;
    }

    /// <summary>Releases the lock file (the process is about to stop, or a test simulates a crash).</summary>
    public void Dispose()
    {
        _lock?.Dispose();
        _lock = null;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Left for the next start's recovery pass, which removes unreferenced files.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
