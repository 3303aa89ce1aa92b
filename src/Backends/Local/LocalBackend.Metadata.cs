using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;
using VfsGateway.Vfs;
using VfsGateway.Vfs.Metadata;

namespace VfsGateway.Backends.Local;

/// <summary>
/// Object metadata in one extended attribute of the file itself (issue 8 §4, as versitygw's posix
/// backend does): written on the temporary file before the rename, so an object and its metadata
/// appear, move and disappear together and a delete is one unlink. Where the file system refuses
/// user attributes (or --local-no-xattr), <see cref="BackendFeatures.Metadata"/> is null and the Vfs
/// keeps sidecar records under ".gateway-meta" instead. Records an earlier version (or the fallback)
/// left there are still read, and removed when their object is next written, moved or deleted.
/// </summary>
internal sealed partial class LocalBackend : IMetadataStorage
{
    /// <summary>The attribute name; "user." is the namespace any file owner may write.</summary>
    internal const string MetadataAttribute = "user.vfsgateway.metadata";

    private const int MissingFile = 2;
    private const int TooBig = 7;
    private const int OutOfRange = 34;

    public ValueTask<ObjectMetadata?> GetMetadataAsync(Entry file, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var value = LocalXattr.Get(FullPath(file.Path), MetadataAttribute, out var errno);
        if (value is not null)
        {
            return ValueTask.FromResult(MetadataCodec.Decode(value, file));
        }

        if (errno is not LocalXattr.NoData and not MissingFile)
        {
            throw XattrError(file.Path, errno);
        }

        return ValueTask.FromResult(errno == LocalXattr.NoData ? ReadLegacyRecord(file) : null);
    }

    public ValueTask SetMetadataAsync(Entry file, ObjectMetadata metadata, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var full = FullPath(file.Path);
        RequireFile(file.Path, full);
        var errno = LocalXattr.Set(full, MetadataAttribute, MetadataCodec.Encode(metadata, file));
        if (errno != 0)
        {
            throw XattrError(file.Path, errno);
        }

        DeleteLegacyRecord(file.Path);
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Called by <see cref="PutAsync"/> once the content is complete and its modification time set:
    /// stores the put's metadata on the open file (or clears what an overwritten file carried).
    /// </summary>
    private static async ValueTask WriteMetadataAsync(SafeFileHandle file, VfsPath path, long size, DateTime modTime, PutOptions options, bool mayHaveOld, CancellationToken cancellationToken)
    {
        var metadata = await options.ResolveMetadataAsync(cancellationToken).ConfigureAwait(false);
        int errno;
        if (metadata is not null)
        {
            errno = LocalXattr.Set(file, MetadataAttribute, MetadataCodec.Encode(metadata, Entry.File(path, size, modTime)));
        }
        else if (mayHaveOld)
        {
            // FileMode.Create truncates the old inode but keeps its attributes.
            errno = LocalXattr.Remove(file, MetadataAttribute);
            errno = errno == LocalXattr.NoData ? 0 : errno;
        }
        else
        {
            return;
        }

        if (errno != 0)
        {
            throw XattrError(path, errno);
        }
    }

    /// <summary>Copies the metadata of <paramref name="source"/> onto a freshly copied file (File.Copy leaves attributes behind).</summary>
    private void CopyMetadata(Entry source, string targetFull, VfsPath target)
    {
        var value = LocalXattr.Get(FullPath(source.Path), MetadataAttribute, out var errno);
        var metadata = value is not null ? MetadataCodec.Decode(value, source) : errno == LocalXattr.NoData ? ReadLegacyRecord(source) : null;
        if (metadata is null)
        {
            return;
        }

        var info = new FileInfo(targetFull);
        errno = LocalXattr.Set(targetFull, MetadataAttribute, MetadataCodec.Encode(metadata, Entry.File(target, info.Length, info.LastWriteTimeUtc)));
        if (errno != 0)
        {
            throw XattrError(target, errno);
        }
    }

    /// <summary>A moved file keeps its attribute; a legacy record of the source becomes the target's attribute.</summary>
    private void MoveLegacyRecord(VfsPath from, string targetFull, VfsPath to)
    {
        if (!_legacyRecords)
        {
            return;
        }

        var info = new FileInfo(targetFull);
        var moved = Entry.File(to, info.Length, info.LastWriteTimeUtc);
        if (LocalXattr.Get(targetFull, MetadataAttribute, out var errno) is null && errno == LocalXattr.NoData &&
            ReadLegacyRecord(Entry.File(from, info.Length, info.LastWriteTimeUtc)) is { } metadata)
        {
            errno = LocalXattr.Set(targetFull, MetadataAttribute, MetadataCodec.Encode(metadata, moved));
            if (errno != 0)
            {
                throw XattrError(to, errno);
            }
        }

        DeleteLegacyRecord(from);
        DeleteLegacyRecord(to);
    }

    /// <summary>The sidecar record of <paramref name="file"/> an earlier version wrote, when it describes exactly this version.</summary>
    private ObjectMetadata? ReadLegacyRecord(Entry file)
    {
        if (!_legacyRecords)
        {
            return null;
        }

        try
        {
            var record = FullPath(MetadataCodec.SidecarRecordFor(file.Path));
            var info = new FileInfo(record);
            if (!info.Exists || info.Length > 1 << 20)
            {
                return null;
            }

            // A record is a few hundred bytes of JSON, not a user payload.
            return MetadataCodec.Decode(File.ReadAllBytes(record), file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Migration: the record of a path that was just written, moved or deleted goes, with the mirror directories it leaves empty.</summary>
    private void DeleteLegacyRecord(VfsPath file)
    {
        if (!_legacyRecords)
        {
            return;
        }

        var record = MetadataCodec.SidecarRecordFor(file);
        try
        {
            File.Delete(FullPath(record));
            for (var dir = record.Parent; !dir.IsRoot; dir = dir.Parent)
            {
                Directory.Delete(FullPath(dir), recursive: false);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not empty yet (or not ours to remove): a stale record is ignored by its version check.
        }
    }

    private static Exception XattrError(VfsPath path, int errno) => errno switch
    {
        TooBig or OutOfRange => new VfsException(VfsErrorKind.Invalid, $"the metadata of '{path}' is too large for the local file system's extended attributes", path.Value),
        LocalXattr.NotSupported => new VfsException(VfsErrorKind.NotSupported, $"the local file system refuses extended attributes for '{path}' (start the gateway with --local-no-xattr)", path.Value),
        _ => LocalErrors.Map(new IOException($"metadata of '{path}': {LocalXattr.Describe(errno)}", errno), path),
    };
}
