using System.Runtime.CompilerServices;
using Amazon.S3;
using Amazon.S3.Model;
using VfsGateway.Vfs;
using VfsGateway.Vfs.Metadata;

namespace VfsGateway.Backends.S3;

/// <summary>
/// Native metadata: Content-Type, the stored headers and x-amz-meta-* live with the object and its
/// ETag is the server's, so no sidecar records exist and every gateway sees the same answer.
/// </summary>
internal sealed partial class S3Backend : IMetadataStorage
{
    private const string UserMetadataPrefix = "x-amz-meta-";

    /// <summary>The headers S3 stores with an object besides Content-Type (ObjectMetadata.Headers' names).</summary>
    private static readonly string[] StoredHeaders = ["Cache-Control", "Content-Disposition", "Content-Encoding", "Content-Language", "Expires"];

    /// <summary>
    /// The HeadObject answer each entry of <see cref="StatAsync"/> was made from (by reference, not by
    /// value): the metadata of exactly that version, so a GET's stat and metadata cost one HEAD, not two.
    /// </summary>
    private readonly ConditionalWeakTable<Entry, GetObjectMetadataResponse> _heads = new();

    public async ValueTask<ObjectMetadata?> GetMetadataAsync(Entry file, CancellationToken cancellationToken)
    {
        if (_heads.TryGetValue(file, out var known))
        {
            return MetadataOf(known);
        }

        var location = Locate(file.Path, forObject: true);
        GetObjectMetadataResponse head;
        try
        {
            head = await HeadAsync(location, file.Path, cancellationToken).ConfigureAwait(false);
        }
        catch (VfsException e) when (e.Kind == VfsErrorKind.NotFound)
        {
            return null;
        }

        // Another version than the one asked about: nothing is known about that one any more.
        if (file.ETag is { } etag && head.ETag is { } current && !string.Equals(etag.Trim('"'), current.Trim('"'), StringComparison.Ordinal))
        {
            return null;
        }

        return MetadataOf(head);
    }

    public async ValueTask SetMetadataAsync(Entry file, ObjectMetadata metadata, CancellationToken cancellationToken)
    {
        var location = Locate(file.Path, forObject: true);
        _heads.Remove(file);

        // S3 changes metadata only by copying the object onto itself with REPLACE (server-side).
        var head = await HeadAsync(location, file.Path, cancellationToken).ConfigureAwait(false);
        if (head.ContentLength > S3Options.MaxPartSize)
        {
            await CopyMultipartAsync(location, file.Path, location, file.Path, head, metadata, cancellationToken).ConfigureAwait(false);
            return;
        }

        var request = new CopyObjectRequest
        {
            SourceBucket = location.Bucket,
            SourceKey = location.Key,
            DestinationBucket = location.Bucket,
            DestinationKey = location.Key,
            MetadataDirective = S3MetadataDirective.REPLACE,
            ETagToMatch = head.ETag,
            ContentType = metadata.ContentType,
        };
        foreach (var (name, value) in metadata.Headers)
        {
            request.Headers[name] = value;
        }

        foreach (var (name, value) in metadata.UserMetadata)
        {
            request.Metadata.Add(UserMetadataPrefix + name, value);
        }

        ApplyStorage(request);
        await CallAsync(() => _client.CopyObjectAsync(request, cancellationToken), "set metadata of", file.Path).ConfigureAwait(false);
    }

    private static ObjectMetadata MetadataOf(GetObjectMetadataResponse head)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in StoredHeaders)
        {
            if (head.Headers[name] is { Length: > 0 } value)
            {
                headers[name] = value;
            }
        }

        if (head.ExpiresString is { Length: > 0 } expires)
        {
            headers["Expires"] = expires;
        }

        var user = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in head.Metadata.Keys)
        {
            var name = key.StartsWith(UserMetadataPrefix, StringComparison.OrdinalIgnoreCase) ? key[UserMetadataPrefix.Length..] : key;
            user[name.ToLowerInvariant()] = head.Metadata[key];
        }

        return new ObjectMetadata
        {
            ContentType = head.Headers.ContentType is { Length: > 0 } type ? type : null,
            Headers = headers,
            UserMetadata = user,
            ETag = head.ETag,
        };
    }

    private void ApplyMetadata(PutObjectRequest request, ObjectMetadata metadata)
    {
        request.ContentType = metadata.ContentType;
        foreach (var (name, value) in metadata.Headers)
        {
            request.Headers[name] = value;
        }

        foreach (var (name, value) in metadata.UserMetadata)
        {
            request.Metadata.Add(UserMetadataPrefix + name, value);
        }

        if (Options.StorageClass is { } storageClass)
        {
            request.StorageClass = new S3StorageClass(storageClass);
        }

        if (Options.ServerSideEncryption is { } sse)
        {
            request.ServerSideEncryptionMethod = new ServerSideEncryptionMethod(sse);
            request.ServerSideEncryptionKeyManagementServiceKeyId = Options.SseKmsKeyId;
        }
    }

    private void ApplyMetadata(InitiateMultipartUploadRequest request, ObjectMetadata metadata)
    {
        request.ContentType = metadata.ContentType;
        foreach (var (name, value) in metadata.Headers)
        {
            request.Headers[name] = value;
        }

        foreach (var (name, value) in metadata.UserMetadata)
        {
            request.Metadata.Add(UserMetadataPrefix + name, value);
        }

        if (Options.StorageClass is { } storageClass)
        {
            request.StorageClass = new S3StorageClass(storageClass);
        }

        if (Options.ServerSideEncryption is { } sse)
        {
            request.ServerSideEncryptionMethod = new ServerSideEncryptionMethod(sse);
            request.ServerSideEncryptionKeyManagementServiceKeyId = Options.SseKmsKeyId;
        }
    }
}
