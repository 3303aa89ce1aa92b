using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using VfsGateway.Frontends.S3.Auth;
using VfsGateway.Frontends.S3.Checksums;
using VfsGateway.Frontends.S3.Xml;
using VfsGateway.Vfs;
using VfsGateway.Vfs.Metadata;

namespace VfsGateway.Frontends.S3.Handlers;

/// <summary>
/// PostObject: a browser (HTML form) upload, multipart/form-data with the fields first and the
/// file last, authenticated by a signed POST policy instead of a signed request.
/// </summary>
internal sealed class PostObjectHandler(S3Context c, SigV4Authenticator auth)
{
    /// <summary>AWS limits the form fields before the file to 20 KB.</summary>
    public const int MaxFieldBytes = 20 * 1024;

    /// <summary>Whether a POST on a bucket is a form upload (rather than an unsupported bucket operation).</summary>
    public static bool IsForm(S3Request r) =>
        r.Header("Content-Type") is { } type && type.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase);

    public async Task PostObjectAsync(S3Request r)
    {
        var ct = r.Context.RequestAborted;
        var reader = new MultipartReader(BoundaryOf(r), r.Context.Request.Body);
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var fieldBytes = 0;
        while (true)
        {
            var section = await NextSectionAsync(reader, ct).ConfigureAwait(false)
                ?? throw new S3Exception(S3Error.InvalidArgument, "POST requires exactly one file upload per request (a 'file' field).");
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase) || HeaderUtilities.RemoveQuotes(disposition.Name).Length == 0)
            {
                throw new S3Exception(S3Error.MalformedPostRequest, "Each part of the form needs a Content-Disposition: form-data header with a name.");
            }

            var name = HeaderUtilities.RemoveQuotes(disposition.Name).ToString();
            if (name.Equals("file", StringComparison.OrdinalIgnoreCase))
            {
                var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).ToString();
                await UploadAsync(r, fields, fileName, section.Body).ConfigureAwait(false);
                return;
            }

            var value = await ReadFieldAsync(section.Body, MaxFieldBytes - fieldBytes, ct).ConfigureAwait(false);
            fieldBytes += Encoding.UTF8.GetByteCount(name) + Encoding.UTF8.GetByteCount(value);
            fields[name] = value;
        }
    }

    private async Task UploadAsync(S3Request r, Dictionary<string, string> fields, string fileName, Stream file)
    {
        var ct = r.Context.RequestAborted;
        r.Auth = auth.AuthenticatePost(r, fields);
        await c.RequireBucketAsync(r).ConfigureAwait(false);
        var policy = fields.GetValueOrDefault("policy") is { } document
            ? PostPolicy.Evaluate(document, new Dictionary<string, string>(fields, StringComparer.OrdinalIgnoreCase) { ["bucket"] = r.Bucket }, auth.Now)
            : null;
        var key = (fields.GetValueOrDefault("key") ?? throw new S3Exception(S3Error.InvalidArgument, "Bucket POST must contain a field named 'key'."))
            .Replace("${filename}", fileName, StringComparison.Ordinal);
        if (key.Length == 0 || key.EndsWith('/'))
        {
            throw new S3Exception(S3Error.InvalidArgument, $"A POST upload's key must name an object, not a folder ('{key}').");
        }

        var path = S3Request.ParseKey(r.BucketPath, key, c.BucketBased);
        var storageClass = S3StorageClasses.OfValue(fields.GetValueOrDefault("x-amz-storage-class"));
        var userMetadata = S3Metadata.UserMetadataOf(fields);
        var contentType = fields.GetValueOrDefault("Content-Type");
        var headers = S3Metadata.StoredHeadersOf(fields.GetValueOrDefault);
        var tags = await S3Tagging.OfFormFieldAsync(fields.GetValueOrDefault("tagging"), ct).ConfigureAwait(false);

        // x-amz-checksum-* fields are checked against the file as the headers are against a PUT body.
        var (algorithm, checksum) = S3Body.SentChecksum(fields.GetValueOrDefault);
        var body = new PayloadStream(file, null, Math.Min(policy?.MaxLength ?? long.MaxValue, S3Body.MaxObjectSize), c.Options.EtagHash == S3EtagHash.Md5, null, null, algorithm, () => checksum);
        ObjectMetadata? stored = null;
        var options = new PutOptions(null, S3Metadata.ModTimeOf(userMetadata), contentType, userMetadata.Count > 0 ? userMetadata : null)
        {
            Headers = headers,
            ObjectMetadataProvider = async ct2 =>
            {
                await body.DrainAsync(ct2).ConfigureAwait(false);
                if (body.BytesRead < (policy?.MinLength ?? 0))
                {
                    throw new S3Exception(S3Error.EntityTooSmall);
                }

                stored = new ObjectMetadata
                {
                    ContentType = contentType,
                    Headers = headers,
                    UserMetadata = userMetadata,
                    ETag = body.Md5 is { } md5 ? S3Metadata.Quote(Convert.ToHexStringLower(md5)) : null,
                    Checksums = S3Checksums.OfBody(body),
                    StorageClass = storageClass,
                    Tags = tags,
                };
                return stored;
            },
        };
        Entry entry;
        try
        {
            entry = await c.Vfs.PutAsync(path, body, options, ct).ConfigureAwait(false);
        }
        catch (IOException) when (!ct.IsCancellationRequested)
        {
            throw new S3Exception(S3Error.MalformedPostRequest, "The file part of the form is not well-formed multipart/form-data.");
        }

        var etag = stored?.ETag ?? S3Context.DerivedETag(entry);
        c.ETags.Set(entry, etag, storageClass);
        S3Checksums.Echo(r.Context.Response, body);
        await RespondAsync(r, fields, key, etag).ConfigureAwait(false);
    }

    private async Task RespondAsync(S3Request r, Dictionary<string, string> fields, string key, string etag)
    {
        var response = r.Context.Response;
        response.Headers.ETag = etag;
        var request = r.Context.Request;
        var bucketInPath = S3Request.VirtualHostBucket(request.Host.Host, c.Options) is null ? "/" + Uri.EscapeDataString(r.Bucket) : string.Empty;
        var location = $"{request.Scheme}://{request.Host}{bucketInPath}/{SigV4.UriEncode(key, encodeSlash: false)}";
        response.Headers.Location = location;
        var redirect = fields.GetValueOrDefault("success_action_redirect") ?? fields.GetValueOrDefault("redirect");
        if (Uri.TryCreate(redirect, UriKind.Absolute, out var target))
        {
            var query = $"bucket={Uri.EscapeDataString(r.Bucket)}&key={Uri.EscapeDataString(key)}&etag={Uri.EscapeDataString(etag)}";
            response.StatusCode = StatusCodes.Status303SeeOther;
            response.Headers.Location = target.AbsoluteUri + (string.IsNullOrEmpty(target.Query) ? "?" : "&") + query;
            return;
        }

        switch (fields.GetValueOrDefault("success_action_status"))
        {
            case "200":
                response.StatusCode = StatusCodes.Status200OK;
                break;
            case "201":
                var writer = await S3Xml.StartAsync(response, "PostResponse", withNamespace: false, status: StatusCodes.Status201Created).ConfigureAwait(false);
                await writer.ElementAsync("Location", location).ConfigureAwait(false);
                await writer.ElementAsync("Bucket", r.Bucket).ConfigureAwait(false);
                await writer.ElementAsync("Key", key).ConfigureAwait(false);
                await writer.ElementAsync("ETag", etag).ConfigureAwait(false);
                await S3Xml.EndAsync(writer).ConfigureAwait(false);
                break;
            default:
                response.StatusCode = StatusCodes.Status204NoContent;
                break;
        }
    }

    private static string BoundaryOf(S3Request r)
    {
        if (!MediaTypeHeaderValue.TryParse(r.Header("Content-Type"), out var type)
            || HeaderUtilities.RemoveQuotes(type.Boundary) is not { Length: > 0 and <= 70 } boundary)
        {
            throw new S3Exception(S3Error.MalformedPostRequest, "The multipart/form-data Content-Type needs a boundary.");
        }

        return boundary.ToString();
    }

    private static async Task<MultipartSection?> NextSectionAsync(MultipartReader reader, CancellationToken ct)
    {
        try
        {
            return await reader.ReadNextSectionAsync(ct).ConfigureAwait(false);
        }
        catch (InvalidDataException)
        {
            throw new S3Exception(S3Error.MalformedPostRequest);
        }
        catch (IOException) when (!ct.IsCancellationRequested)
        {
            throw new S3Exception(S3Error.MalformedPostRequest);
        }
    }

    /// <summary>Reads one field's value (UTF-8), refusing it once the fields exceed their budget.</summary>
    internal static async Task<string> ReadFieldAsync(Stream section, int budget, CancellationToken ct)
    {
        var buffer = new byte[Math.Max(budget, 0) + 1];
        var length = 0;
        try
        {
            int read;
            while (length < buffer.Length && (read = await section.ReadAsync(buffer.AsMemory(length), ct).ConfigureAwait(false)) > 0)
            {
                length += read;
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException && !ct.IsCancellationRequested)
        {
            throw new S3Exception(S3Error.MalformedPostRequest);
        }

        return length >= buffer.Length
            ? throw new S3Exception(S3Error.MaxPostPreDataLengthExceeded)
            : Encoding.UTF8.GetString(buffer, 0, length);
    }
}
