using System.Runtime.CompilerServices;
using Azure.Storage.Blobs.Models;
using VfsGateway.Vfs;

namespace VfsGateway.Backends.AzureBlob;

/// <summary>Server-side copy and the flat (recursive) listing.</summary>
internal sealed partial class AzureBlobBackend : IServerSideCopy, IRecursiveList
{
    /// <summary>
    /// Copy Blob inside the account: the service copies the bytes, the headers (Content-MD5 included)
    /// and the metadata. Within one account it usually completes at once; otherwise it is polled.
    /// </summary>
    public async ValueTask<Entry> CopyAsync(VfsPath from, VfsPath to, CancellationToken cancellationToken)
    {
        var source = BlobOf(from, forWrite: false);
        var target = BlobOf(to, forWrite: true);
        _ = await StatFileAsync(source, from, cancellationToken).ConfigureAwait(false);
        try
        {
            var operation = await target.StartCopyFromUriAsync(source.Uri, new BlobCopyFromUriOptions { AccessTier = Options.AccessTier }, cancellationToken).ConfigureAwait(false);
            if (!operation.HasCompleted)
            {
                await operation.WaitForCompletionAsync(TimeSpan.FromMilliseconds(500), cancellationToken).ConfigureAwait(false);
            }

            ForgetListed(BlobName(target));
            var properties = await target.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            if (properties.Value.CopyStatus is CopyStatus.Failed or CopyStatus.Aborted)
            {
                throw new VfsException(VfsErrorKind.Transient, $"copy of '{from}' to '{to}' {properties.Value.CopyStatus}: {properties.Value.CopyStatusDescription}", to.Value);
            }

            return ToEntry(to, properties.Value);
        }
        catch (Exception e) when (AzureBlobErrors.IsMappable(e))
        {
            throw AzureBlobErrors.Map(e, to.Value);
        }
    }

    public async IAsyncEnumerable<Entry> ListRecursiveAsync(VfsPath dir, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (IsAccount && dir.IsRoot)
        {
            var containers = new List<string>();
            await foreach (var container in Guard(_service!.GetBlobContainersAsync(cancellationToken: cancellationToken), dir, VfsErrorKind.DirNotFound, cancellationToken).ConfigureAwait(false))
            {
                containers.Add(container.Name);
            }

            foreach (var name in containers)
            {
                var top = VfsPath.Root.Join(name);
                yield return Entry.Directory(top);
                await foreach (var entry in ListRecursiveAsync(top, cancellationToken).ConfigureAwait(false))
                {
                    yield return entry;
                }
            }

            yield break;
        }

        if (!TryLocate(dir, out var location))
        {
            throw VfsException.DirNotFound(dir);
        }

        // A flat listing has no prefixes: the directories are implied by the names, each told once.
        var seen = new HashSet<VfsPath>();
        var prefix = location.DirPrefix;
        var pages = location.Container.GetBlobsAsync(BlobTraits.Metadata, BlobStates.None, prefix, cancellationToken).AsPages(null, ListPageSize);
        await foreach (var page in Guard(pages, dir, VfsErrorKind.DirNotFound, cancellationToken).ConfigureAwait(false))
        {
            foreach (var item in page.Values)
            {
                var relative = item.Name[prefix.Length..];
                if (relative.Length == 0 || (prefix.Length == 0 && item.Name.StartsWith(UploadsPrefix, StringComparison.Ordinal)))
                {
                    continue;
                }

                // A directory marker "a/b/" lists as the directory a/b.
                var isMarker = relative.EndsWith('/');
                if (!VfsPath.TryParse(isMarker ? relative[..^1] : relative, out var rel, out _))
                {
                    continue;
                }

                var path = dir.Combine(rel);
                for (var parent = rel.Parent; !parent.IsRoot && seen.Add(parent); parent = parent.Parent)
                {
                    yield return Entry.Directory(dir.Combine(parent));
                }

                if (isMarker && !seen.Add(rel))
                {
                    continue;
                }

                yield return isMarker ? Entry.Directory(path, item.Properties.LastModified) : RememberListed(path, item);
            }
        }
    }
}
