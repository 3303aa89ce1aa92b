using System.Buffers;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;
using VfsGateway.Vfs.Metadata;

namespace VfsGateway.Vfs.Cache;

internal sealed partial class VfsCache
{
    /// <summary>
    /// Stores a write in the cache and queues its upload. When this returns, the bytes and the
    /// record are fsynced: the write survives a crash and will reach the backend. If the content
    /// stream throws, nothing is committed and an earlier version of the path is untouched.
    /// </summary>
    public async ValueTask<Entry> WriteAsync(VfsPath path, Stream content, PutOptions options, CancellationToken cancellationToken)
    {
        ThrowIfStopped();
        var key = CacheNames.Key(path.Value);
        var generation = NextGeneration();
        var dataPath = _store.DataPath(key, generation);
        long size;
        string sha256;
        ObjectMetadata? metadata;
        try
        {
            using var handle = CreateDataFile(key, generation);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            size = await CopyToFileAsync(content, handle, options.Length, hash, cancellationToken).ConfigureAwait(false);
            RandomAccess.FlushToDisk(handle);
            sha256 = Convert.ToHexStringLower(hash.GetCurrentHash());

            // Travels with the cached write and is stored when the upload lands.
            metadata = await VirtualFileSystem.ResolveMetadataAsync(options, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            DeleteFileQuietly(dataPath);
            throw;
        }

        var now = _time.GetUtcNow();
        var record = new CacheRecord
        {
            Path = path.Value,
            Size = size,
            ModTime = options.ModTime ?? now,
            ContentType = options.ContentType,
            Metadata = options.Metadata is null ? null : new Dictionary<string, string>(options.Metadata, StringComparer.Ordinal),
            Object = metadata is null ? null : MetadataRecord.From(metadata),
            State = CacheRecord.DirtyState,
            Generation = generation,
            Sha256 = sha256,
            LastAccess = now,
        };

        var item = (await AcquireItemAsync(path, create: true, CancellationToken.None).ConfigureAwait(false))!;
        try
        {
            try
            {
                ThrowIfStopped();
                await WithSpaceRetryAsync(() => _store.WriteRecordAsync(key, record, CancellationToken.None)).ConfigureAwait(false);
            }
            catch
            {
                DeleteFileQuietly(dataPath);
                RemoveIfUnused(item);
                throw;
            }

            // A newer write supersedes a running upload of an older one: cancel it; the scheduler
            // starts the new upload only after the old one has finished.
            if (item.UploadCancel is { } running)
            {
                await running.CancelAsync().ConfigureAwait(false);
            }

            if (item.Data is { } old)
            {
                _store.DeleteData(key, old.Generation);
                Stats.AddCacheSize(-old.Ranges.Covered);
            }

            SetDirty(item, record);
            item.Record = record;
            item.Data = new CacheData(generation, dataPath, size, RangeMap.Full(size));
            item.LastAccess = now;
            item.ConsecutiveFailures = 0;
            Stats.AddCacheSize(size);
            Enqueue(item, generation, now + _options.WriteBack);
        }
        finally
        {
            item.Lock.Release();
        }

        return Entry.File(path, size, record.ModTime, null, record.ContentType);
    }

    /// <summary>After a stop the lock file is released: another process may own the directory now.</summary>
    private void ThrowIfStopped()
    {
        if (_abandoned || _writeBack.Stopped)
        {
            throw new VfsException(VfsErrorKind.Transient, "the vfs cache is shut down");
        }
    }

    private SafeFileHandle CreateDataFile(string key, long generation)
    {
        System.IO.Directory.CreateDirectory(CacheNames.ItemDir(_store.Root, key));
        return File.OpenHandle(_store.DataPath(key, generation), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, FileOptions.Asynchronous);
    }

    /// <summary>Copies exactly <paramref name="length"/> bytes (or to the end) into a cache file, hashing in the same pass.</summary>
    private async ValueTask<long> CopyToFileAsync(Stream source, SafeFileHandle handle, long? length, IncrementalHash hash, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(StreamCopier.DefaultBufferSize);
        try
        {
            long total = 0;
            while (true)
            {
                var want = buffer.Length;
                if (length is { } l)
                {
                    if (l - total <= 0)
                    {
                        break;
                    }

                    want = (int)Math.Min(want, l - total);
                }

                var read = await source.ReadAsync(buffer.AsMemory(0, want), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                hash.AppendData(buffer, 0, read);
                await WriteAtAsync(handle, buffer.AsMemory(0, read), total, cancellationToken).ConfigureAwait(false);
                total += read;
            }

            if (length is { } expected && total < expected)
            {
                throw new VfsException(VfsErrorKind.Invalid, $"content ended after {total} of {expected} bytes");
            }

            return total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>A positional write (so a retry after ENOSPC rewrites the same bytes at the same place).</summary>
    private ValueTask WriteAtAsync(SafeFileHandle handle, ReadOnlyMemory<byte> data, long offset, CancellationToken cancellationToken) =>
        WithSpaceRetryAsync(() => RandomAccess.WriteAsync(handle, data, offset, cancellationToken));

    private static void DeleteFileQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // The recovery pass at the next start removes data files that no record names.
        }
    }
}
