using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using VfsGateway.Vfs;

namespace VfsGateway.Backends.AzureBlob;

/// <summary>Path mapping, listing helpers and the startup check.</summary>
internal sealed partial class AzureBlobBackend
{
    /// <summary>The container and blob name of <paramref name="path"/>; false when it can name nothing (an invalid container name).</summary>
    private bool TryLocate(VfsPath path, out AzureBlobLocation location)
    {
        if (!IsAccount)
        {
            var key = Options.Prefix.Length == 0 ? path.Value : path.IsRoot ? Options.Prefix : Options.Prefix + "/" + path.Value;
            location = new AzureBlobLocation(_container!, key);
            return true;
        }

        var segments = path.Value.Split('/', 2);
        if (path.IsRoot || !AzureBlobNames.IsValidContainer(segments[0]))
        {
            location = default;
            return false;
        }

        location = new AzureBlobLocation(_service!.GetBlobContainerClient(segments[0]), segments.Length > 1 ? segments[1] : string.Empty);
        return true;
    }

    /// <summary>The location of a path that must name a container; for writes also not the backend's own upload area.</summary>
    private AzureBlobLocation Locate(VfsPath path, bool forWrite)
    {
        if (IsAccount && !path.IsRoot)
        {
            AzureBlobNames.CheckContainer(path.Value.Split('/', 2)[0]);
        }

        if (!TryLocate(path, out var location))
        {
            throw new VfsException(VfsErrorKind.Invalid, "the account root holds only containers", path.Value);
        }

        if (forWrite && location.Key.StartsWith(UploadsPrefix, StringComparison.Ordinal))
        {
            throw new VfsException(VfsErrorKind.Invalid, $"'{UploadsPrefix.TrimEnd('/')}' is reserved for multipart uploads", path.Value);
        }

        return location;
    }

    /// <summary>The blob of a file path (not the root, not a container).</summary>
    private BlobClient BlobOf(VfsPath path, bool forWrite)
    {
        if (path.IsRoot)
        {
            throw new VfsException(VfsErrorKind.Invalid, forWrite ? "cannot write a file at the root" : "the root is a directory");
        }

        if (!forWrite && !TryLocate(path, out _))
        {
            throw VfsException.NotFound(path);
        }

        var location = Locate(path, forWrite);
        if (location.IsContainerRoot)
        {
            throw path.IsRoot || IsAccount
                ? new VfsException(VfsErrorKind.Invalid, forWrite ? "cannot write a file at the root" : $"'{path}' is a directory", path.Value)
                : new VfsException(VfsErrorKind.Invalid, "cannot write a file at the root");
        }

        return BlobClientOf(location);
    }

    /// <summary>
    /// The blob of a location. A name ending in '/' (a directory key, VfsPath.AsDirectoryKey) gets a
    /// client built from its URL: see <see cref="AzureBlobClients.ExactBlobClients"/>.
    /// </summary>
    private BlobClient BlobClientOf(AzureBlobLocation location)
    {
        if (!location.Key.EndsWith('/'))
        {
            return location.Container.GetBlobClient(location.Key);
        }

        var container = location.Container.Uri.GetLeftPart(UriPartial.Path).TrimEnd('/');
        var escaped = string.Join('/', location.Key.Split('/').Select(Uri.EscapeDataString));
        return _exactBlob(new Uri($"{container}/{escaped}"));
    }

    /// <summary>The full name of <paramref name="blob"/>: with the trailing '/' of a directory key, which the SDK's <c>Name</c> drops.</summary>
    private static string BlobName(BlobClient blob) =>
        blob.Uri.AbsolutePath.EndsWith('/') ? blob.Name + "/" : blob.Name;

    /// <summary>The block blob of <paramref name="blob"/>, keeping a trailing '/' of its name (which the SDK's name-based factories drop).</summary>
    private BlockBlobClient BlockBlobOf(BlobClient blob) =>
        blob.Uri.AbsolutePath.EndsWith('/') ? _exactBlockBlob(blob.Uri) : blob.GetParentBlobContainerClient().GetBlockBlobClient(blob.Name);

    /// <summary>The directory marker "key/" of a location.</summary>
    private BlobClient MarkerBlob(AzureBlobLocation location) =>
        BlobClientOf(location with { Key = location.Key + "/" });

    /// <summary>A name from a listing that a Vfs path can carry (Azure allows "a//b" and "." segments; they are skipped).</summary>
    private static bool IsListable(string name) =>
        name.Length > 0 && !name.Contains('/', StringComparison.Ordinal) && VfsPath.TryParse(name, out _, out _);

    private static Entry ToEntry(VfsPath path, BlobProperties properties) =>
        Entry.File(path, properties.ContentLength, ModTimeOf(properties.Metadata, properties.LastModified), Unquote(properties.ETag), DeclaredContentType(properties.ContentType, properties.Metadata));

    private static string Unquote(ETag etag) => etag.ToString().Trim('"');

    private static async ValueTask<bool> HasBlobsBelowAsync(AzureBlobLocation location, VfsPath path, CancellationToken cancellationToken)
    {
        try
        {
            return (await FirstBlobsAsync(location.Container, location.DirPrefix, 1, cancellationToken).ConfigureAwait(false)).Count > 0;
        }
        catch (RequestFailedException e) when (e.ErrorCode == "ContainerNotFound")
        {
            return false;
        }
        catch (Exception e) when (AzureBlobErrors.IsMappable(e))
        {
            throw AzureBlobErrors.Map(e, path.Value);
        }
    }

    /// <summary>The names of at most <paramref name="count"/> blobs under <paramref name="prefix"/>, one request.</summary>
    private static async Task<List<string>> FirstBlobsAsync(BlobContainerClient container, string prefix, int count, CancellationToken cancellationToken)
    {
        await foreach (var page in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, cancellationToken).AsPages(null, count).ConfigureAwait(false))
        {
            return [.. page.Values.Select(b => b.Name)];
        }

        return [];
    }

    private static async ValueTask<BlobProperties> StatFileAsync(BlobClient blob, VfsPath path, CancellationToken cancellationToken)
    {
        try
        {
            return (await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (Exception e) when (AzureBlobErrors.IsMappable(e))
        {
            throw AzureBlobErrors.Map(e, path.Value);
        }
    }

    /// <summary>Enumerates an SDK sequence, translating its failures (a yield cannot sit in a try with a catch).</summary>
    private static async IAsyncEnumerable<T> Guard<T>(IAsyncEnumerable<T> source, VfsPath path, VfsErrorKind missing, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var enumerator = source.GetAsyncEnumerator(cancellationToken);
        await using (enumerator.ConfigureAwait(false))
        {
            while (true)
            {
                try
                {
                    if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                    {
                        yield break;
                    }
                }
                catch (Exception e) when (AzureBlobErrors.IsMappable(e))
                {
                    throw AzureBlobErrors.Map(e, path.Value, missing);
                }

                yield return enumerator.Current;
            }
        }
    }

    /// <summary>One cheap request at startup, so that a wrong key, a missing container or an unreachable endpoint fails now, clearly.</summary>
    private static async Task CheckAsync(AzureBlobOptions options, BlobServiceClient? service, BlobContainerClient? container, CancellationToken cancellationToken)
    {
        var where = container is not null ? $"container '{options.Container}'" : "the account";
        try
        {
            if (container is not null)
            {
                await FirstBlobsAsync(container, options.Prefix, 1, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await foreach (var page in service!.GetBlobContainersAsync(cancellationToken: cancellationToken).AsPages(null, 1).ConfigureAwait(false))
                {
                    break;
                }
            }
        }
        catch (Exception e) when (AzureBlobErrors.IsMappable(e) || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var inner = e is AggregateException { InnerExceptions.Count: > 0 } a ? a.InnerExceptions[^1] : e;
            var endpoint = service?.Uri ?? container?.Uri;
            var host = endpoint is null ? "the storage service" : $"{endpoint.Scheme}://{endpoint.Authority}";
            var message = inner switch
            {
                RequestFailedException { ErrorCode: "ContainerNotFound" } =>
                    $"azureblob: container '{options.Container}' does not exist (create it, or serve 'azureblob:' to manage containers as buckets)",
                RequestFailedException { Status: 403 or 401 } r =>
                    $"azureblob: access to {where} at {host} denied ({r.ErrorCode}): check the account name and key, the SAS token (permissions, expiry) or the connection string",
                RequestFailedException { Status: 404 } =>
                    $"azureblob: {host} has no such storage account (check the account name and the endpoint)",
                RequestFailedException { Status: 0 } or HttpRequestException or IOException or OperationCanceledException or TimeoutException =>
                    $"azureblob: cannot reach {host} ({(inner.InnerException ?? inner).Message})",
                RequestFailedException r => $"azureblob: {host} refused the first request for {where} ({r.Status} {r.ErrorCode})",
                _ => $"azureblob: cannot use {where} at {host}: {inner.Message}",
            };
            var kind = inner is RequestFailedException { Status: 403 or 401 } ? VfsErrorKind.PermissionDenied
                : inner is RequestFailedException { ErrorCode: "ContainerNotFound" } ? VfsErrorKind.DirNotFound
                : VfsErrorKind.Transient;
            throw new VfsException(kind, message, null, e);
        }
        catch (Azure.Identity.AuthenticationFailedException e)
        {
            throw new VfsException(VfsErrorKind.PermissionDenied, $"azureblob env_auth: no usable Azure credential found ({e.Message.Split('\n')[0]})", null, e);
        }
    }
}
