using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace VfsGateway.Vfs.Metadata;

/// <summary>
/// Metadata for backends that cannot store it: one small JSON record per object in the backend
/// itself, under <see cref="MetadataPaths.Root"/>, so every gateway instance over the same backend
/// sees it and it survives restarts (ARCHITECTURE: the gateway stays stateless). A record names the
/// object version it describes (size, modification time, backend tag); a record for another
/// version is stale and ignored, so a crash between object and record, or a writer that bypassed
/// the gateway, can never attach old metadata to new bytes.
/// </summary>
internal sealed partial class SidecarMetadataStore(IBackend backend, IVfsStorage storage, ILogger logger) : IMetadataStorage
{
    /// <summary>A record is a few hundred bytes; anything far larger is not ours and is not parsed.</summary>
    private const long MaxRecordBytes = 1 << 20;

    public async ValueTask<ObjectMetadata?> GetMetadataAsync(Entry file, CancellationToken cancellationToken)
    {
        var record = await ReadAsync(file.Path, cancellationToken).ConfigureAwait(false);
        return record is not null && record.Describes(file) ? record.ToMetadata() : null;
    }

    public async ValueTask SetMetadataAsync(Entry file, ObjectMetadata metadata, CancellationToken cancellationToken)
    {
        var target = MetadataPaths.RecordFor(file.Path);

        // A few hundred bytes of JSON, bounded by what S3 accepts in headers: not a user payload.
        var bytes = JsonSerializer.SerializeToUtf8Bytes(MetadataRecord.From(metadata, file), MetadataJsonContext.Default.MetadataRecord);
        for (var attempt = 1; ; attempt++)
        {
            var content = new MemoryStream(bytes, writable: false);
            await using (content.ConfigureAwait(false))
            {
                try
                {
                    await storage.PutAsync(target, content, new PutOptions(bytes.Length), cancellationToken).ConfigureAwait(false);
                    return;
                }
                catch (VfsException e) when (attempt == 1 && e.Kind is VfsErrorKind.IsDirectory or VfsErrorKind.NotDirectory or VfsErrorKind.AlreadyExists)
                {
                    // The object tree changed shape since older records were written ("a" was a
                    // directory and is a file now, or the reverse): what is in the way describes
                    // objects that can no longer exist, so it goes.
                    await RemoveObstaclesAsync(target, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>Removes the record of <paramref name="file"/>, if any, and the mirror directories it leaves empty.</summary>
    public async ValueTask DeleteAsync(VfsPath file, CancellationToken cancellationToken)
    {
        var target = MetadataPaths.RecordFor(file);
        try
        {
            await backend.DeleteAsync(target, cancellationToken).ConfigureAwait(false);
        }
        catch (VfsException e) when (e.Kind is VfsErrorKind.NotFound or VfsErrorKind.DirNotFound or VfsErrorKind.NotDirectory or VfsErrorKind.IsDirectory)
        {
            return;
        }

        await PruneAsync(target.Parent, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The record at the mirror of <paramref name="file"/>, whichever version it describes; null when there is none or it is unreadable.</summary>
    internal async ValueTask<MetadataRecord?> ReadAsync(VfsPath file, CancellationToken cancellationToken)
    {
        var target = MetadataPaths.RecordFor(file);
        Stream stream;
        try
        {
            stream = await backend.OpenReadAsync(target, new ByteRange(0, MaxRecordBytes), cancellationToken).ConfigureAwait(false);
        }
        catch (VfsException e) when (e.Kind is VfsErrorKind.NotFound or VfsErrorKind.DirNotFound or VfsErrorKind.NotDirectory or VfsErrorKind.IsDirectory)
        {
            return null;
        }

        await using (stream.ConfigureAwait(false))
        {
            try
            {
                return await JsonSerializer.DeserializeAsync(stream, MetadataJsonContext.Default.MetadataRecord, cancellationToken).ConfigureAwait(false);
            }
            catch (JsonException e)
            {
                // Not a record we wrote (records are written under a temporary name and renamed):
                // the object simply has no metadata, and the next write replaces the file.
                LogUnreadable(logger, target.Value, e.Message);
                return null;
            }
        }
    }

    private async ValueTask RemoveObstaclesAsync(VfsPath target, CancellationToken cancellationToken)
    {
        // A stale record file where a mirror directory is needed.
        for (var dir = target.Parent; dir.Depth > MetadataPaths.Root.Depth; dir = dir.Parent)
        {
            try
            {
                await backend.DeleteAsync(dir, cancellationToken).ConfigureAwait(false);
            }
            catch (VfsException e) when (e.Kind is VfsErrorKind.NotFound or VfsErrorKind.DirNotFound or VfsErrorKind.NotDirectory or VfsErrorKind.IsDirectory)
            {
            }
        }

        // A stale mirror directory where the record file goes.
        await RemoveTreeAsync(target, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask RemoveTreeAsync(VfsPath dir, CancellationToken cancellationToken)
    {
        var children = new List<Entry>();
        try
        {
            await foreach (var entry in backend.ListAsync(dir, cancellationToken).ConfigureAwait(false))
            {
                children.Add(entry);
            }
        }
        catch (VfsException e) when (e.Kind is VfsErrorKind.DirNotFound or VfsErrorKind.NotFound or VfsErrorKind.NotDirectory)
        {
            return;
        }

        foreach (var child in children)
        {
            if (child.IsDirectory)
            {
                await RemoveTreeAsync(child.Path, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await backend.DeleteAsync(child.Path, cancellationToken).ConfigureAwait(false);
            }
        }

        await backend.RmdirAsync(dir, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes empty mirror directories upwards; the first one still in use (or any failure) stops the walk.</summary>
    private async ValueTask PruneAsync(VfsPath dir, CancellationToken cancellationToken)
    {
        for (; dir.Depth > MetadataPaths.Root.Depth; dir = dir.Parent)
        {
            try
            {
                await backend.RmdirAsync(dir, cancellationToken).ConfigureAwait(false);
            }
            catch (VfsException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "ignoring unreadable metadata record {Path}: {Error}")]
    private static partial void LogUnreadable(ILogger logger, string path, string error);
}
