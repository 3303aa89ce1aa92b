using System.Globalization;

namespace VfsGateway.Frontends.S3;

/// <summary>Conditional reads as S3 evaluates them (RFC 9110 §13.2.2 order, with S3's documented pairings).</summary>
internal static class S3Conditions
{
    /// <summary>
    /// If-Match (else If-Unmodified-Since) failing → 412; If-None-Match matching (else
    /// If-Modified-Since not modified) → 304. S3 lets a true If-Match override a false
    /// If-Unmodified-Since, and a false If-None-Match override a true If-Modified-Since.
    /// Returns null when the read proceeds.
    /// </summary>
    public static S3Error? CheckRead(S3Request r, string etag, DateTimeOffset modified) =>
        Check(r.Header("If-Match"), r.Header("If-None-Match"), r.Header("If-Modified-Since"), r.Header("If-Unmodified-Since"), etag, modified, S3Error.NotModified);

    /// <summary>The same conditions on a copy source (x-amz-copy-source-if-*); a match that should be 304 is 412 there.</summary>
    public static S3Error? CheckCopySource(S3Request r, string etag, DateTimeOffset modified) =>
        Check(r.Header("x-amz-copy-source-if-match"), r.Header("x-amz-copy-source-if-none-match"), r.Header("x-amz-copy-source-if-modified-since"), r.Header("x-amz-copy-source-if-unmodified-since"), etag, modified, S3Error.PreconditionFailed);

    public static bool ETagMatches(string header, string etag)
    {
        var bare = etag.Trim('"');
        foreach (var candidate in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var c = candidate.StartsWith("W/", StringComparison.Ordinal) ? candidate[2..] : candidate;
            if (c == "*" || c.Trim('"') == bare)
            {
                return true;
            }
        }

        return false;
    }

    private static S3Error? Check(string? ifMatch, string? ifNoneMatch, string? ifModifiedSince, string? ifUnmodifiedSince, string etag, DateTimeOffset modified, S3Error notModified)
    {
        // HTTP dates have whole seconds.
        var seconds = new DateTimeOffset(modified.UtcTicks - (modified.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        if (ifMatch is not null)
        {
            if (!ETagMatches(ifMatch, etag))
            {
                return S3Error.PreconditionFailed;
            }
        }
        else if (TryParseDate(ifUnmodifiedSince, out var unmodifiedSince) && seconds > unmodifiedSince)
        {
            return S3Error.PreconditionFailed;
        }

        if (ifNoneMatch is not null)
        {
            if (ETagMatches(ifNoneMatch, etag))
            {
                return notModified;
            }
        }
        else if (TryParseDate(ifModifiedSince, out var modifiedSince) && seconds <= modifiedSince)
        {
            return notModified;
        }

        return null;
    }

    private static bool TryParseDate(string? value, out DateTimeOffset date) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out date);
}
