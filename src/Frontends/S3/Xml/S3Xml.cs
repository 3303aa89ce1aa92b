using System.Globalization;
using System.Text;
using System.Xml;
using Microsoft.AspNetCore.Http;

namespace VfsGateway.Frontends.S3.Xml;

/// <summary>Writes S3 XML documents straight to the response body (async only: Kestrel forbids synchronous I/O).</summary>
internal static class S3Xml
{
    public const string Namespace = "http://s3.amazonaws.com/doc/2006-03-01/";

    private static readonly XmlWriterSettings Settings = new()
    {
        Async = true,
        Encoding = new UTF8Encoding(false),
        Indent = false,
        CloseOutput = false,

        // A key with "\r" must survive an XML parser's line-end normalization: written as &#xD;.
        NewLineHandling = NewLineHandling.Entitize,
    };

    private static readonly XmlWriterSettings ContinuationSettings = Settings.Clone();

    static S3Xml()
    {
        ContinuationSettings.OmitXmlDeclaration = true;
        ContinuationSettings.ConformanceLevel = ConformanceLevel.Fragment;
    }

    /// <summary>The XML declaration alone: what a response that must start early (keep-alive whitespace) begins with.</summary>
    public static readonly byte[] Declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"u8.ToArray();

    /// <summary>
    /// Starts a document with its root element in the S3 namespace (or none, for Error). When the
    /// response has already started (with <see cref="Declaration"/>), only the element follows.
    /// </summary>
    public static async Task<XmlWriter> StartAsync(HttpResponse response, string root, bool withNamespace = true, int status = 200)
    {
        var continuation = response.HasStarted;
        if (!continuation)
        {
            response.StatusCode = status;
            response.ContentType = "application/xml";
        }

        var writer = XmlWriter.Create(response.Body, continuation ? ContinuationSettings : Settings);
        if (!continuation)
        {
            await writer.WriteStartDocumentAsync().ConfigureAwait(false);
        }

        await writer.WriteStartElementAsync(null, root, withNamespace ? Namespace : null).ConfigureAwait(false);
        return writer;
    }

    public static async Task EndAsync(XmlWriter writer)
    {
        await writer.WriteEndElementAsync().ConfigureAwait(false);
        if (writer.Settings?.ConformanceLevel != ConformanceLevel.Fragment)
        {
            await writer.WriteEndDocumentAsync().ConfigureAwait(false);
        }

        await writer.FlushAsync().ConfigureAwait(false);
        await writer.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Characters XML 1.0 cannot carry (NUL, most C0 controls) become U+FFFD; keys with them need encoding-type=url.</summary>
    public static Task ElementAsync(this XmlWriter writer, string name, string value) =>
        writer.WriteElementStringAsync(null, name, null, Sanitize(value));

    public static string Sanitize(string value)
    {
        StringBuilder? sb = null;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                sb?.Append(c).Append(value[i + 1]);
                i++;
                continue;
            }

            var ok = !char.IsSurrogate(c) && XmlConvert.IsXmlChar(c);
            if (!ok && sb is null)
            {
                sb = new StringBuilder(value.Length).Append(value, 0, i);
            }

            sb?.Append(ok ? c : '\uFFFD');
        }

        return sb?.ToString() ?? value;
    }

    public static Task ElementAsync(this XmlWriter writer, string name, long value) =>
        writer.WriteElementStringAsync(null, name, null, value.ToString(CultureInfo.InvariantCulture));

    public static Task ElementAsync(this XmlWriter writer, string name, bool value) =>
        writer.WriteElementStringAsync(null, name, null, value ? "true" : "false");

    public static Task ElementAsync(this XmlWriter writer, string name, DateTimeOffset value) =>
        writer.WriteElementStringAsync(null, name, null, Timestamp(value));

    /// <summary>ISO 8601 with milliseconds, as S3 writes LastModified in XML.</summary>
    public static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>RFC 1123, as S3 writes Last-Modified headers.</summary>
    public static string HttpDate(DateTimeOffset value) =>
        value.UtcDateTime.ToString("r", CultureInfo.InvariantCulture);

    public static async Task OwnerAsync(XmlWriter writer, string element = "Owner")
    {
        await writer.WriteStartElementAsync(null, element, null).ConfigureAwait(false);
        await writer.ElementAsync("ID", OwnerId).ConfigureAwait(false);
        await writer.ElementAsync("DisplayName", OwnerName).ConfigureAwait(false);
        await writer.WriteEndElementAsync().ConfigureAwait(false);
    }

    public const string OwnerId = "75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a";

    public const string OwnerName = "gateway";

    /// <summary>The error document; also written into an already started 200 response (CompleteMultipartUpload keep-alive), as AWS does.</summary>
    public static async Task WriteErrorDocumentAsync(HttpResponse response, S3Error error, string message, string resource, string requestId, IReadOnlyList<KeyValuePair<string, string>> details)
    {
        var writer = await S3Xml.StartAsync(response, "Error", withNamespace: false, status: error.Status).ConfigureAwait(false);
        await writer.ElementAsync("Code", error.Code).ConfigureAwait(false);
        await writer.ElementAsync("Message", message).ConfigureAwait(false);
        foreach (var (name, value) in details)
        {
            await writer.ElementAsync(name, value).ConfigureAwait(false);
        }

        await writer.ElementAsync("Resource", resource).ConfigureAwait(false);
        await writer.ElementAsync("RequestId", requestId).ConfigureAwait(false);
        await S3Xml.EndAsync(writer).ConfigureAwait(false);
    }
}
