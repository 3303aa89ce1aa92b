using System.Xml;
using System.Xml.Linq;
using VfsGateway.Vfs;

namespace VfsGateway.Frontends.S3;

/// <summary>DeleteObjects (POST ?delete): up to 1000 keys, verbose or quiet.</summary>
internal sealed partial class S3Frontend
{
    private const int MaxDeleteKeys = 1000;

    private async Task DeleteObjectsAsync(S3Request r)
    {
        var ct = r.Context.RequestAborted;
        await RequireBucketAsync(r).ConfigureAwait(false);
        var document = await ReadXmlAsync(r).ConfigureAwait(false);
        var root = document.Root;
        if (root is null || root.Name.LocalName != "Delete")
        {
            throw new S3Exception(S3Error.MalformedXml);
        }

        var quiet = string.Equals(Child(root, "Quiet")?.Value.Trim(), "true", StringComparison.OrdinalIgnoreCase);
        var keys = new List<string>();
        foreach (var obj in root.Elements().Where(e => e.Name.LocalName == "Object"))
        {
            keys.Add(Child(obj, "Key")?.Value ?? throw new S3Exception(S3Error.MalformedXml));
        }

        if (keys.Count is 0 or > MaxDeleteKeys)
        {
            throw new S3Exception(S3Error.MalformedXml);
        }

        var w = await S3Xml.StartAsync(r.Context.Response, "DeleteResult").ConfigureAwait(false);
        foreach (var key in keys)
        {
            S3Error? error = null;
            var message = string.Empty;
            try
            {
                var path = S3Request.ParseKey(r.BucketPath, key);
                await DeleteOneAsync(r, path, key.EndsWith('/'), ct).ConfigureAwait(false);
            }
            catch (S3Exception e)
            {
                (error, message) = (e.Error, e.Message);
            }
            catch (VfsException e)
            {
                (error, message) = (S3Errors.FromKind(e.Kind), e.Message);
            }

            if (error is not null)
            {
                await w.WriteStartElementAsync(null, "Error", null).ConfigureAwait(false);
                await w.ElementAsync("Key", key).ConfigureAwait(false);
                await w.ElementAsync("Code", error.Code).ConfigureAwait(false);
                await w.ElementAsync("Message", message).ConfigureAwait(false);
                await w.WriteEndElementAsync().ConfigureAwait(false);
            }
            else if (!quiet)
            {
                await w.WriteStartElementAsync(null, "Deleted", null).ConfigureAwait(false);
                await w.ElementAsync("Key", key).ConfigureAwait(false);
                await w.WriteEndElementAsync().ConfigureAwait(false);
            }
        }

        await S3Xml.EndAsync(w).ConfigureAwait(false);
    }

    /// <summary>Reads a small control document (its digests verified like any body); bad XML is MalformedXML.</summary>
    private async Task<XDocument> ReadXmlAsync(S3Request r)
    {
        var body = OpenBody(r, MaxXmlBody, computeMd5: false);
        var settings = new XmlReaderSettings { Async = true, DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, CloseInput = false };
        XDocument document;
        try
        {
            using var reader = XmlReader.Create(body, settings);
            document = await XDocument.LoadAsync(reader, LoadOptions.None, r.Context.RequestAborted).ConfigureAwait(false);
        }
        catch (XmlException e)
        {
            throw new S3Exception(S3Error.MalformedXml, S3Error.MalformedXml.Message, e);
        }

        await body.DrainAsync(r.Context.RequestAborted).ConfigureAwait(false);
        return document;
    }

    private static XElement? Child(XElement parent, string name) =>
        parent.Elements().FirstOrDefault(e => e.Name.LocalName == name);
}
