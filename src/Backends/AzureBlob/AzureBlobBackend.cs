using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using VfsGateway.Vfs;

namespace VfsGateway.Backends.AzureBlob;

/// <summary>
/// Azure Blob Storage on Azure.Storage.Blobs. Bucket-based: directories are name prefixes (or
/// zero-length "dir/" marker blobs with directory_markers), listed with the hierarchy API page by
/// page. Block blobs are atomic, so a put streams straight to its name: a single Put Blob up to
/// upload_cutoff, else staged blocks committed at the end, and nothing is visible until then.
/// "azureblob:" serves the account: its containers are the top-level directories.
/// </summary>
internal sealed partial class AzureBlobBackend : IBackend
{
    /// <summary>Where multipart upload markers live, at the top of each container; hidden from listings.</summary>
    internal const string UploadsPrefix = ".gateway-uploads/";

    private const int ListPageSize = 5000;

    private readonly BlobServiceClient? _service;
    private readonly BlobContainerClient? _container;
    private readonly Func<Uri, BlobClient> _exactBlob;
    private readonly Func<Uri, Azure.Storage.Blobs.Specialized.BlockBlobClient> _exactBlockBlob;

    public AzureBlobBackend(AzureBlobOptions options, BlobServiceClient? service, BlobContainerClient? container)
    {
        Options = options;
        _exactBlob = AzureBlobClients.ExactBlobClients(options);
        _exactBlockBlob = AzureBlobClients.ExactBlockBlobClients(options);
        _service = service;
        _container = container;
        Features = BackendFeatures.Discover(this, bucketBased: true, canHaveEmptyDirectories: options.DirectoryMarkers, partialUploads: false, conditionalPut: true);
    }

    public AzureBlobOptions Options { get; }

    public BackendFeatures Features { get; }

    private bool IsAccount => _container is null;

    /// <summary>Builds the backend and checks with one cheap request that the account, credentials and container answer.</summary>
    public static async Task<AzureBlobBackend> CreateAsync(AzureBlobOptions options, CancellationToken cancellationToken)
    {
        var (service, container) = AzureBlobClients.Create(options, maxRetries: 5);
        var (checkService, checkContainer) = AzureBlobClients.Create(options, maxRetries: 1);
        await CheckAsync(options, checkService, checkContainer, cancellationToken).ConfigureAwait(false);
        return new AzureBlobBackend(options, service, container);
    }

    public async IAsyncEnumerable<Entry> ListAsync(VfsPath dir, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (IsAccount && dir.IsRoot)
        {
            await foreach (var container in Guard(_service!.GetBlobContainersAsync(cancellationToken: cancellationToken), dir, VfsErrorKind.DirNotFound, cancellationToken).ConfigureAwait(false))
            {
                yield return Entry.Directory(VfsPath.Root.Join(container.Name), container.Properties.LastModified);
            }

            yield break;
        }

        if (!TryLocate(dir, out var location))
        {
            throw VfsException.DirNotFound(dir);
        }

        var prefix = location.DirPrefix;
        var pages = location.Container.GetBlobsByHierarchyAsync(BlobTraits.Metadata, BlobStates.None, "/", prefix, cancellationToken).AsPages(null, ListPageSize);
        await foreach (var page in Guard(pages, dir, VfsErrorKind.DirNotFound, cancellationToken).ConfigureAwait(false))
        {
            foreach (var item in page.Values)
            {
                if (item.IsPrefix)
                {
                    var name = item.Prefix[prefix.Length..^1];
                    if (IsListable(name) && !(prefix.Length == 0 && item.Prefix == UploadsPrefix))
                    {
                        yield return Entry.Directory(dir.Join(name));
                    }
                }
                else if (item.Blob.Name.Length > prefix.Length)
                {
                    var name = item.Blob.Name[prefix.Length..];
                    if (IsListable(name))
                    {
                        yield return RememberListed(dir.Join(name), item.Blob);
                    }
                }
                else if (!dir.IsRoot && item.Blob.Name == prefix)
                {
                    // The directory's own blob "dir/" (a marker, or an object a client stored there).
                    yield return RememberListed(dir.AsDirectoryKey(), item.Blob);
                }
            }
        }
    }

    public async ValueTask<Entry> StatAsync(VfsPath path, CancellationToken cancellationToken)
    {
        if (path.IsRoot)
        {
            return Entry.Directory(path);
        }

        if (!TryLocate(path, out var location))
        {
            throw VfsException.NotFound(path);
        }

        if (location.IsContainerRoot)
        {
            try
            {
                var properties = await location.Container.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                return Entry.Directory(path, properties.Value.LastModified);
            }
            catch (Exception e) when (AzureBlobErrors.IsMappable(e))
            {
                throw AzureBlobErrors.Map(e, path.Value);
            }
        }

        try
        {
            var properties = await BlobClientOf(location).GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return ToEntry(path, properties.Value);
        }
        catch (RequestFailedException e) when (e.Status == 404 && e.ErrorCode != "ContainerNotFound")
        {
        }
        catch (Exception e) when (AzureBlobErrors.IsMappable(e))
        {
            throw AzureBlobErrors.Map(e, path.Value);
        }

        return await HasBlobsBelowAsync(location, path, cancellationToken).ConfigureAwait(false)
            ? Entry.Directory(path)
            : throw VfsException.NotFound(path);
    }

    public async ValueTask<Stream> OpenReadAsync(VfsPath path, ByteRange? range, CancellationToken cancellationToken)
    {
        var blob = BlobOf(path, forWrite: false);
        HttpRange httpRange = default;
        if (range is { } r)
        {
            if (r.Offset < 0 || r.Length < 0)
            {
                throw new VfsException(VfsErrorKind.Invalid, $"invalid byte range (offset {r.Offset}, length {r.Length})");
            }

            if (r.Length == 0)
            {
                // Azure has no empty range; the object must still exist (and be readable).
                await StatFileAsync(blob, path, cancellationToken).ConfigureAwait(false);
                return Stream.Null;
            }

            httpRange = new HttpRange(r.Offset, r.Length);
        }

        try
        {
            var response = await blob.DownloadStreamingAsync(new BlobDownloadOptions { Range = httpRange }, cancellationToken).ConfigureAwait(false);
            return response.Value.Content;
        }
        catch (RequestFailedException e) when (e.Status == 416)
        {
            // A range starting at or past the end: the contract clamps it to an empty read.
            return Stream.Null;
        }
        catch (Exception e) when (AzureBlobErrors.IsMappable(e))
        {
            throw AzureBlobErrors.Map(e, path.Value);
        }
    }

    public async ValueTask DeleteAsync(VfsPath path, CancellationToken cancellationToken)
    {
        var blob = BlobOf(path, forWrite: false);
        try
        {
            await blob.DeleteAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken).ConfigureAwait(false);
            ForgetListed(BlobName(blob));
        }
        catch (Exception e) when (AzureBlobErrors.IsMappable(e))
        {
            throw AzureBlobErrors.Map(e, path.Value);
        }
    }

    public async ValueTask MkdirAsync(VfsPath dir, CancellationToken cancellationToken)
    {
        if (dir.IsRoot)
        {
            return;
        }

        if (IsAccount && dir.Depth == 1)
        {
            AzureBlobNames.CheckContainer(dir.Name);
            try
            {
                await _service!.GetBlobContainerClient(dir.Name).CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (AzureBlobErrors.IsMappable(e))
            {
                throw AzureBlobErrors.Map(e, dir.Value);
            }
        }

        if (!Options.DirectoryMarkers)
        {
            return;
        }

        var location = Locate(dir, forWrite: true);
        if (location.IsContainerRoot)
        {
            return;
        }

        try
        {
            var marker = MarkerBlob(location);
            await marker.UploadAsync(BinaryData.Empty, new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412 && e.ErrorCode != "ContainerNotFound")
        {
            // The marker is there already: mkdir is idempotent.
        }
        catch (Exception e) when (AzureBlobErrors.IsMappable(e))
        {
            throw AzureBlobErrors.Map(e, dir.Value, VfsErrorKind.DirNotFound);
        }
    }

    public async ValueTask RmdirAsync(VfsPath dir, CancellationToken cancellationToken)
    {
        if (dir.IsRoot)
        {
            throw new VfsException(VfsErrorKind.Invalid, "cannot remove the root");
        }

        if (!TryLocate(dir, out var location))
        {
            throw VfsException.DirNotFound(dir);
        }

        try
        {
            var first = await FirstBlobsAsync(location.Container, location.DirPrefix, 2, cancellationToken).ConfigureAwait(false);
            var others = first.Where(name => name != location.DirPrefix && !(location.IsContainerRoot && name.StartsWith(UploadsPrefix, StringComparison.Ordinal)));
            if (others.Any())
            {
                throw VfsException.DirNotEmpty(dir);
            }

            if (location.IsContainerRoot)
            {
                if (!IsAccount)
                {
                    throw new VfsException(VfsErrorKind.Invalid, "cannot remove the remote's container through a container remote");
                }

                await location.Container.DeleteAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                return;
            }

            if (first.Contains(location.DirPrefix))
            {
                await MarkerBlob(location).DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (AzureBlobErrors.IsMappable(e))
        {
            throw AzureBlobErrors.Map(e, dir.Value, VfsErrorKind.DirNotFound);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
