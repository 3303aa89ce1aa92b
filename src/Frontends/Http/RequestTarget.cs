using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace VfsGateway.Frontends.Http;

/// <summary>
/// The request target exactly as the client sent it. Request.Path is already percent-decoded (all
/// but %2F), which neither SigV4 (it signs the encoded path) nor a path-safety check (it must see
/// "%2e%2e" and "%2F" as sent) can use, so both frontends split the raw target themselves, here.
/// </summary>
internal static class RequestTarget
{
    /// <summary>The raw target from the server (IHttpRequestFeature.RawTarget), or null when it does not know it.</summary>
    public static string? RawOf(HttpContext context) => context.Features.Get<IHttpRequestFeature>()?.RawTarget;

    /// <summary>
    /// Splits an origin-form ("/p?q") or absolute-form ("http://h/p?q", RFC 9112 §3.2.2) target into its
    /// still-encoded path (up to '?' or '#') and query (after '?'); false for null, empty and any other
    /// form (asterisk, authority), for which the caller falls back to what the server decoded.
    /// </summary>
    public static bool TrySplit(string? target, out ReadOnlySpan<char> path, out ReadOnlySpan<char> query)
    {
        path = default;
        query = default;
        if (string.IsNullOrEmpty(target))
        {
            return false;
        }

        var span = target.AsSpan();
        if (span[0] != '/')
        {
            var scheme = span.IndexOf("://", StringComparison.Ordinal);
            if (scheme < 0)
            {
                return false;
            }

            span = span[(scheme + 3)..];
            var slash = span.IndexOfAny('/', '?');
            span = slash < 0 ? "/" : span[slash] == '?' ? string.Concat("/", span[slash..]) : span[slash..];
        }

        var end = span.IndexOfAny('?', '#');
        path = end < 0 ? span : span[..end];
        query = end >= 0 && span[end] == '?' ? span[(end + 1)..] : default;
        return true;
    }
}
