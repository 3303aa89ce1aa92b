using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using VfsGateway.Frontends.S3.Xml;

namespace VfsGateway.Frontends.S3;

/// <summary>
/// Object tags: the x-amz-tagging header (URL query form, "k1=v1&amp;k2=v2") and the Tagging document
/// (PutObjectTagging's body, PostObject's tagging field),
/// with AWS's limits (10 tags per object, keys up to 128 and values up to 256 Unicode characters, letters,
/// digits, spaces and + - = . _ : / @; unique keys) checked the same way for both.
/// </summary>
internal static partial class S3Tagging
{
    public const int MaxTags = 10;
    public const int MaxKeyLength = 128;
    public const int MaxValueLength = 256;

    /// <summary>x-amz-tagging of a PUT, Copy (with x-amz-tagging-directive REPLACE) or CreateMultipartUpload; empty when absent.</summary>
    public static Dictionary<string, string> OfHeader(string? header)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(header))
        {
            return tags;
        }

        foreach (var pair in header.Split('&'))
        {
            if (pair.Length == 0)
            {
                continue;
            }

            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Decode(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? string.Empty : Decode(pair[(eq + 1)..]);
            Add(tags, key, value);
        }

        return tags;
    }

    /// <summary>The Tagging document of PutObjectTagging.</summary>
    public static async Task<Dictionary<string, string>> ReadDocumentAsync(S3Request r) =>
        OfDocument(await S3Body.ReadXmlAsync(r).ConfigureAwait(false));

    /// <summary>The tagging field of a PostObject form: the same Tagging document, as text.</summary>
    public static async Task<Dictionary<string, string>> OfFormFieldAsync(string? field, CancellationToken cancellationToken) =>
        field is null ? [] : OfDocument(await S3Body.ParseXmlAsync(field, cancellationToken).ConfigureAwait(false));

    private static Dictionary<string, string> OfDocument(XDocument document)
    {
        if (document.Root is not { Name.LocalName: "Tagging" } root || S3Body.Child(root, "TagSet") is not { } set)
        {
            throw new S3Exception(S3Error.MalformedXml);
        }

        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in set.Elements().Where(e => e.Name.LocalName == "Tag"))
        {
            if (S3Body.Child(tag, "Key") is not XElement key)
            {
                throw new S3Exception(S3Error.MalformedXml);
            }

            Add(tags, key.Value, S3Body.Child(tag, "Value")?.Value ?? string.Empty);
        }

        return tags;
    }

    public static async Task WriteDocumentAsync(HttpResponse response, IReadOnlyDictionary<string, string> tags)
    {
        var w = await S3Xml.StartAsync(response, "Tagging").ConfigureAwait(false);
        await w.WriteStartElementAsync(null, "TagSet", null).ConfigureAwait(false);
        foreach (var (key, value) in tags)
        {
            await w.WriteStartElementAsync(null, "Tag", null).ConfigureAwait(false);
            await w.ElementAsync("Key", key).ConfigureAwait(false);
            await w.ElementAsync("Value", value).ConfigureAwait(false);
            await w.WriteEndElementAsync().ConfigureAwait(false);
        }

        await w.WriteEndElementAsync().ConfigureAwait(false);
        await S3Xml.EndAsync(w).ConfigureAwait(false);
    }

    private static void Add(Dictionary<string, string> tags, string key, string value)
    {
        if (key.Length == 0 || Length(key) > MaxKeyLength)
        {
            throw new S3Exception(S3Error.InvalidTag, $"The TagKey you have provided is invalid: it must be 1 to {MaxKeyLength} characters.");
        }

        if (Length(value) > MaxValueLength)
        {
            throw new S3Exception(S3Error.InvalidTag, $"The TagValue you have provided is too long, max {MaxValueLength}.");
        }

        if (!Allowed().IsMatch(key) || !Allowed().IsMatch(value))
        {
            throw new S3Exception(S3Error.InvalidTag, "The TagKey or TagValue you have provided contains characters that are not allowed.");
        }

        if (!tags.TryAdd(key, value))
        {
            throw new S3Exception(S3Error.InvalidTag, "Cannot provide multiple Tags with the same key.");
        }

        if (tags.Count > MaxTags)
        {
            throw new S3Exception(S3Error.InvalidTag, $"Object tags cannot be greater than {MaxTags}.");
        }
    }

    private static int Length(string s) => s.EnumerateRunes().Count();

    private static string Decode(string s)
    {
        try
        {
            return Uri.UnescapeDataString(s.Replace('+', ' '));
        }
        catch (UriFormatException)
        {
            throw new S3Exception(S3Error.InvalidArgument, "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.");
        }
    }

    /// <summary>AWS's tag alphabet: Unicode letters, digits and spaces, and + - = . _ : / @.</summary>
    [GeneratedRegex(@"^[\p{L}\p{M}\p{N}\p{Zs}+\-=._:/@]*$")]
    private static partial Regex Allowed();

    /// <summary>The x-amz-tagging-count header value.</summary>
    public static string Count(IReadOnlyDictionary<string, string> tags) => tags.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
