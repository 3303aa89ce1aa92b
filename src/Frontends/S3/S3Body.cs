using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http.Features;
using VfsGateway.Frontends.S3.Auth;
using VfsGateway.Frontends.S3.Checksums;

namespace VfsGateway.Frontends.S3;

/// <summary>Turns a request body into a verified <see cref="PayloadStream"/> (aws-chunked decoding, digests, checksums), and control documents into XML.</summary>
internal static class S3Body
{
    /// <summary>AWS's limit for one PUT.</summary>
    public const long MaxObjectSize = 5L * 1024 * 1024 * 1024;

    /// <summary>Control documents (Delete, CompleteMultipartUpload) are small; 1000 keys of 1024 bytes fit.</summary>
    public const long MaxXmlBody = 2 * 1024 * 1024;

    /// <summary>Control documents are small and come from clients: no DTDs, no external entities.</summary>
    private static readonly XmlReaderSettings XmlSettings = new() { Async = true, DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, CloseInput = false };

    /// <param name="uploadChecksum">A multipart upload's algorithm: computed when the part names none, and the only one a part may name.</param>
    /// <param name="objectChecksumHeaders">The x-amz-checksum-* headers describe an object, not this body (CompleteMultipartUpload): not checked here.</param>
    public static PayloadStream Open(S3Request r, long maxLength, bool computeMd5, ChecksumAlgorithm? uploadChecksum = null, bool objectChecksumHeaders = false)
    {
        var payloadHash = r.Auth.PayloadHash;
        var chunked = payloadHash is SigV4.StreamingSigned or SigV4.StreamingSignedTrailer or SigV4.StreamingUnsignedTrailer;
        Stream body = r.Context.Request.Body;
        long? length;
        AwsChunkedStream? decoder = null;
        if (chunked)
        {
            var decoded = r.Header("x-amz-decoded-content-length")
                ?? throw new S3Exception(S3Error.MissingContentLength, "aws-chunked uploads need x-amz-decoded-content-length.");
            if (!long.TryParse(decoded, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                throw new S3Exception(S3Error.InvalidArgument, "x-amz-decoded-content-length is not a number.");
            }

            length = parsed;
            decoder = new AwsChunkedStream(body, r.Auth, signedChunks: payloadHash != SigV4.StreamingUnsignedTrailer, trailer: payloadHash != SigV4.StreamingSigned);
            r.Context.Response.RegisterForDispose(decoder);
            body = decoder;
        }
        else
        {
            length = r.Context.Request.ContentLength;
        }

        if (length > maxLength)
        {
            throw new S3Exception(maxLength == MaxXmlBody ? S3Error.MalformedXml : S3Error.EntityTooLarge);
        }

        // aws-chunked framing makes the raw body longer than the payload; the PayloadStream enforces the payload limit.
        AllowLargeBody(r, chunked ? null : maxLength);
        var (algorithm, expected) = objectChecksumHeaders ? ((ChecksumAlgorithm?)null, (Func<string?>)(() => null)) : ChecksumOf(r, decoder);
        if (uploadChecksum is { } wanted && algorithm is { } sent && sent != wanted)
        {
            throw new S3Exception(S3Error.InvalidRequest, $"Checksum Type mismatch occurred, expected checksum Type: {wanted.ToString().ToLowerInvariant()}, actual checksum Type: {sent.ToString().ToLowerInvariant()}");
        }

        var optional = algorithm is null && uploadChecksum is not null;
        algorithm ??= uploadChecksum;
        var stream = new PayloadStream(
            body,
            length,
            maxLength,
            computeMd5,
            ContentMd5(r),
            !chunked && SigV4.IsHexSha256(payloadHash) ? payloadHash : null,
            algorithm,
            expected,
            optional);
        r.Context.Response.RegisterForDispose(stream);
        return stream;
    }

    private static byte[]? ContentMd5(S3Request r)
    {
        if (r.Header("Content-MD5") is not { } value)
        {
            return null;
        }

        var bytes = new byte[16];
        if (!Convert.TryFromBase64String(value, bytes, out var written) || written != 16)
        {
            throw new S3Exception(S3Error.InvalidDigest);
        }

        return bytes;
    }

    /// <summary>The one x-amz-checksum-* to verify: from a header, or announced in x-amz-trailer and sent after the body.</summary>
    private static (ChecksumAlgorithm? Algorithm, Func<string?> Expected) ChecksumOf(S3Request r, AwsChunkedStream? decoder)
    {
        if (SentChecksum(r.Header) is ({ } fromHeader, var headerValue))
        {
            return (fromHeader, () => headerValue);
        }

        if (r.Header("x-amz-trailer") is { } trailer && trailer.Trim().ToLowerInvariant() is var name && name.StartsWith("x-amz-checksum-", StringComparison.Ordinal))
        {
            if (decoder is null || !Checksum.TryParseName(name["x-amz-checksum-".Length..], out var fromTrailer))
            {
                throw new S3Exception(S3Error.InvalidRequest, $"The trailer '{trailer}' is not supported here.");
            }

            return (fromTrailer, () =>
            {
                var value = decoder.Trailers.TryGetValue(name, out var v) ? v : null;
                if (value is not null)
                {
                    CheckChecksumValue(fromTrailer, value);
                }

                return value;
            });
        }

        return (null, () => null);
    }

    /// <summary>
    /// The one x-amz-checksum-* value sent with the body (a request header, or a PostObject form
    /// field), checked for form: at most one algorithm, a base64 value of the algorithm's size.
    /// </summary>
    public static (ChecksumAlgorithm? Algorithm, string? Value) SentChecksum(Func<string, string?> lookup)
    {
        ChecksumAlgorithm? found = null;
        string? sent = null;
        foreach (var algorithm in Enum.GetValues<ChecksumAlgorithm>())
        {
            if (lookup(Checksum.HeaderFor(algorithm)) is { } value)
            {
                if (found is not null)
                {
                    throw new S3Exception(S3Error.InvalidRequest, "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.");
                }

                CheckChecksumValue(algorithm, value);
                found = algorithm;
                sent = value;
            }
        }

        return (found, sent);
    }

    private static void CheckChecksumValue(ChecksumAlgorithm algorithm, string value)
    {
        var bytes = new byte[64];
        if (!Convert.TryFromBase64String(value, bytes, out var written) || written != Checksum.SizeOf(algorithm))
        {
            throw new S3Exception(S3Error.InvalidRequest, $"Value for {Checksum.HeaderFor(algorithm)} header is invalid.");
        }
    }

    /// <summary>Reads a small control document (its digests verified like any body); bad XML is MalformedXML.</summary>
    public static async Task<XDocument> ReadXmlAsync(S3Request r, bool objectChecksumHeaders = false)
    {
        var body = Open(r, MaxXmlBody, computeMd5: false, objectChecksumHeaders: objectChecksumHeaders);
        var document = await LoadXmlAsync(XmlReader.Create(body, XmlSettings), r.Context.RequestAborted).ConfigureAwait(false);
        await body.DrainAsync(r.Context.RequestAborted).ConfigureAwait(false);
        return document;
    }

    /// <summary>Parses a small XML document sent as text (a PostObject form field) as <see cref="ReadXmlAsync"/> parses a body.</summary>
    public static Task<XDocument> ParseXmlAsync(string text, CancellationToken cancellationToken) =>
        LoadXmlAsync(XmlReader.Create(new StringReader(text), XmlSettings), cancellationToken);

    private static async Task<XDocument> LoadXmlAsync(XmlReader reader, CancellationToken cancellationToken)
    {
        using (reader)
        {
            try
            {
                return await XDocument.LoadAsync(reader, LoadOptions.None, cancellationToken).ConfigureAwait(false);
            }
            catch (XmlException e)
            {
                throw new S3Exception(S3Error.MalformedXml, S3Error.MalformedXml.Message, e);
            }
        }
    }

    public static XElement? Child(XElement parent, string name) =>
        parent.Elements().FirstOrDefault(e => e.Name.LocalName == name);

    /// <summary>Lifts Kestrel's default 30 MB body limit for uploads: S3 allows 5 GiB in one PUT.</summary>
    private static void AllowLargeBody(S3Request request, long? limit)
    {
        if (request.Context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }
    }
}
