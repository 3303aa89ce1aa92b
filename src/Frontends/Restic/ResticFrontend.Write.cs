using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using VfsGateway.Vfs;

namespace VfsGateway.Frontends.Restic;

public sealed partial class ResticFrontend
{
    /// <summary>
    /// POST {repo}/config or an object: streams the body into the Vfs (temp name + rename where
    /// the backend needs it), checking SHA-256 against the name and the quota in the same pass.
    /// </summary>
    private async Task SaveAsync(HttpContext context, ResticRoute route, string user)
    {
        var cancellationToken = context.RequestAborted;
        var length = context.Request.ContentLength;

        // Registered before the look, so parallel uploads of this name count it once.
        using var upload = _quota?.Begin(route.Path, route.Repository, _acl?.Current.QuotasFor(route.Repository.Value) ?? []);
        if (upload is not null && length is { } declared && upload.Exceeded(declared) is { } full)
        {
            LogOverQuota(_logger, route.Path.Value, declared, full);
            await QuotaExceededAsync(context, full).ConfigureAwait(false);
            return;
        }

        // Measured (once per repository) before this upload touches storage.
        var repository = _metrics is null ? null : await _metrics.Repositories.GetAsync(_vfs, route.Repository, cancellationToken).ConfigureAwait(false);
        using var tracked = repository?.Begin(route.Path);

        // Only look first when the answer matters: it costs a round trip on remote backends.
        var appendOnly = IsAppendOnly(user, route);
        var existing = route.Type == ResticObjectType.Config || appendOnly || _quota is not null || repository is not null
            ? await TryStatFileAsync(route.Path, cancellationToken).ConfigureAwait(false)
            : null;
        if (existing is not null && (route.Type == ResticObjectType.Config || appendOnly))
        {
            await SaveExistingAsync(context, route, existing).ConfigureAwait(false);
            return;
        }

        var verify = route.Type != ResticObjectType.Config && !_options.NoVerifyUpload;
        using var hash = verify ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
        var expected = verify ? Convert.FromHexString(route.Id) : null;
        var body = new UploadStream(context.Request.Body, length, hash, expected, upload);
        try
        {
            // The body fails its last read unless it hashes to its name: the backend may reuse that digest.
            await _vfs.PutAsync(route.Path, body, new PutOptions(length) { Sha256 = expected }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (body.Exceeded is { } limit && !cancellationToken.IsCancellationRequested)
        {
            // The reservation is given back by the upload's Dispose.
            LogOverQuota(_logger, route.Path.Value, body.BytesRead, limit);
            await QuotaExceededAsync(context, limit).ConfigureAwait(false);
            return;
        }

        upload?.Commit(existing?.Size, body.BytesRead);

        _metrics?.Write(user, route, body.BytesRead);
        tracked?.Commit(route.Type, existing?.Size, body.BytesRead);
        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    /// <summary>
    /// POST to a name that exists. The config is never replaced (403, as rest-server). In
    /// append-only mode an object is not replaced either, but a retry of the same upload must
    /// succeed (rest-server answers 403, its issue #196, and restic then fails the backup): the
    /// body is read and hashed without storing it, and identical content gets 200.
    /// </summary>
    private async Task SaveExistingAsync(HttpContext context, ResticRoute route, Entry existing)
    {
        if (route.Type == ResticObjectType.Config)
        {
            await StatusAsync(context, StatusCodes.Status403Forbidden).ConfigureAwait(false);
            return;
        }

        var cancellationToken = context.RequestAborted;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var body = new UploadStream(context.Request.Body, context.Request.ContentLength, hash, null, null);
        await body.DrainAsync(cancellationToken).ConfigureAwait(false);

        var identical = body.BytesRead == existing.Size;
        if (identical)
        {
            // With --no-verify-upload the name says nothing about the content: compare with the stored object.
            var expected = _options.NoVerifyUpload
                ? await HashStoredAsync(route.Path, cancellationToken).ConfigureAwait(false)
                : Convert.FromHexString(route.Id);
            identical = CryptographicOperations.FixedTimeEquals(body.Digest, expected);
        }

        LogExistingUpload(_logger, route.Path.Value, identical);
        await StatusAsync(context, identical ? StatusCodes.Status200OK : StatusCodes.Status403Forbidden).ConfigureAwait(false);
    }

    /// <summary>DELETE: 200 also when nothing was there (restic retries deletes). Append-only mode deletes locks only.</summary>
    private async Task DeleteAsync(HttpContext context, ResticRoute route, string user)
    {
        if (IsAppendOnly(user, route) && route.Type != ResticObjectType.Locks)
        {
            await StatusAsync(context, StatusCodes.Status403Forbidden).ConfigureAwait(false);
            return;
        }

        var cancellationToken = context.RequestAborted;
        var repository = _metrics is null ? null : await _metrics.Repositories.GetAsync(_vfs, route.Repository, cancellationToken).ConfigureAwait(false);
        long size = 0;
        if (_quota is not null || _metrics is not null)
        {
            if (await TryStatFileAsync(route.Path, cancellationToken).ConfigureAwait(false) is not { } entry)
            {
                context.Response.StatusCode = StatusCodes.Status200OK;
                return;
            }

            size = entry.Size;
        }

        try
        {
            await _vfs.DeleteAsync(route.Path, cancellationToken).ConfigureAwait(false);
        }
        catch (VfsException e) when (e.Kind is VfsErrorKind.NotFound or VfsErrorKind.DirNotFound)
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            return;
        }

        _quota?.Deleted(route.Repository, size);
        _metrics?.Delete(user, route, size);
        repository?.Deleted(size);
        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    /// <summary>
    /// 507 naming the limit, in the body and (HTTP/1.1) in the reason phrase, which restic prints
    /// ("server response unexpected: 507 Insufficient Storage: …").
    /// </summary>
    private static Task QuotaExceededAsync(HttpContext context, QuotaLimit limit)
    {
        context.Response.StatusCode = StatusCodes.Status507InsufficientStorage;
        var message = $"Insufficient Storage: the upload exceeds {limit}";
        if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseFeature>() is { } feature)
        {
            feature.ReasonPhrase = message;
        }

        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return WriteBytesAsync(context, System.Text.Encoding.UTF8.GetBytes(message + "\n"));
    }

    private async Task<byte[]> HashStoredAsync(VfsPath path, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var stream = await _vfs.OpenReadAsync(path, null, cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            await StreamCopier.CopyAsync(stream, Stream.Null, null, hash, cancellationToken).ConfigureAwait(false);
        }

        return hash.GetHashAndReset();
    }
}
