using System.Buffers;
using Microsoft.AspNetCore.Http;
using VfsGateway.Frontends.Http;
using VfsGateway.Vfs;

namespace VfsGateway.Frontends.Restic;

/// <summary>
/// Turns a request target into a <see cref="ResticRoute"/>, once. The segments are taken from
/// the raw target and percent-decoded one by one, so an encoded slash (%2F), an encoded
/// backslash, "." or ".." in any spelling, NUL and control characters are refused before
/// anything is looked up, and never meet a normalizer that could move the path elsewhere.
/// The decoded result must then agree with what the server decoded (Request.Path).
/// </summary>
internal static class ResticRouteParser
{
    /// <summary>Repositories may be nested this deep below the root: "/", "/a/", "/a/b/" (rest-server's MaxFolderDepth).</summary>
    public const int MaxRepositoryDepth = 2;

    private const int MaxSegments = MaxRepositoryDepth + 2;
    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");

    /// <summary>The route, or the status to answer with (404 for paths that name nothing, 400 for malformed ones).</summary>
    public static ResticRouteResult Parse(HttpContext context)
    {
        var request = context.Request;
        var decoded = request.PathBase.HasValue ? request.PathBase.Value + request.Path.Value : request.Path.Value ?? string.Empty;
        return Parse(RequestTarget.RawOf(context), decoded);
    }

    /// <param name="rawTarget">The request target as received (origin form "/a/b?x", or absolute form); null or empty when the server does not know it.</param>
    /// <param name="decodedPath">The path as the server decoded it.</param>
    public static ResticRouteResult Parse(string? rawTarget, string decodedPath)
    {
        var fromRaw = RequestTarget.TrySplit(rawTarget, out var rawPath, out _);
        var path = fromRaw ? rawPath : decodedPath.AsSpan();
        if (path.IsEmpty || path[0] != '/')
        {
            return ResticRouteResult.BadRequest;
        }

        Span<Range> ranges = stackalloc Range[MaxSegments + 1];
        var count = path[1..].Split(ranges, '/');
        if (count > MaxSegments)
        {
            return ResticRouteResult.NotFound;
        }

        var segments = new string[count];
        for (var i = 0; i < count; i++)
        {
            var raw = path[1..][ranges[i]];
            if (!PercentDecoding.TryDecode(raw.ToString(), out var segment))
            {
                return ResticRouteResult.BadRequest;
            }

            if (CheckSegment(segment) is { } refused)
            {
                return refused;
            }

            segments[i] = segment;
        }

        if (fromRaw && !MatchesDecoded(segments, decodedPath))
        {
            return ResticRouteResult.BadRequest;
        }

        return Match(segments);
    }

    public static bool IsObjectId(ReadOnlySpan<char> name) => name.Length == 64 && !name.ContainsAnyExcept(LowerHex);

    private static ResticRouteResult Match(string[] segments)
    {
        // The repository is the leading segments that are not a type name (so no repository can
        // be called "data" or "config"), at most two, never the last one.
        var depth = 0;
        while (depth < MaxRepositoryDepth && depth < segments.Length - 1 && !TryParseType(segments[depth], out _))
        {
            depth++;
        }

        var repositoryText = depth switch { 0 => string.Empty, 1 => segments[0], _ => segments[0] + "/" + segments[1] };
        for (var i = 0; i < depth; i++)
        {
            if (segments[i].Length == 0)
            {
                return ResticRouteResult.NotFound;
            }
        }

        if (!VfsPath.TryParse(repositoryText, out var repository, out _))
        {
            return ResticRouteResult.NotFound;
        }

        var rest = segments.AsSpan(depth);
        switch (rest.Length)
        {
            case 1 when rest[0].Length == 0:
                return ResticRouteResult.Of(new ResticRoute(ResticRouteKind.Repository, repository, ResticObjectType.Config, string.Empty, repository));
            case 1 when rest[0] == "config":
                return ResticRouteResult.Of(new ResticRoute(ResticRouteKind.Config, repository, ResticObjectType.Config, string.Empty, Child(repository, "config")));
            case 2 when TryParseType(rest[0], out var type) && type != ResticObjectType.Config:
                if (rest[1].Length == 0)
                {
                    return ResticRouteResult.Of(new ResticRoute(ResticRouteKind.List, repository, type, string.Empty, Child(repository, rest[0])));
                }

                if (!IsObjectId(rest[1]))
                {
                    return ResticRouteResult.NotFound;
                }

                // data/ is fanned out in 256 directories, as restic's local backend and rest-server store it.
                var relative = type == ResticObjectType.Data ? string.Concat("data/", rest[1].AsSpan(0, 2), "/", rest[1]) : rest[0] + "/" + rest[1];
                return ResticRouteResult.Of(new ResticRoute(ResticRouteKind.Object, repository, type, rest[1], Child(repository, relative)));
            default:
                return ResticRouteResult.NotFound;
        }
    }

    private static VfsPath Child(VfsPath repository, string relative) =>
        repository.Combine(VfsPath.Parse(relative));

    private static bool TryParseType(string segment, out ResticObjectType type)
    {
        (var known, type) = segment switch
        {
            "config" => (true, ResticObjectType.Config),
            "data" => (true, ResticObjectType.Data),
            "keys" => (true, ResticObjectType.Keys),
            "locks" => (true, ResticObjectType.Locks),
            "snapshots" => (true, ResticObjectType.Snapshots),
            "index" => (true, ResticObjectType.Index),
            _ => (false, ResticObjectType.Config),
        };
        return known;
    }

    /// <summary>Null when the segment may be looked up, else why not.</summary>
    private static ResticRouteResult? CheckSegment(string segment)
    {
        if (segment is "." or "..")
        {
            return ResticRouteResult.NotFound;
        }

        foreach (var c in segment)
        {
            if (c is '\0' || char.IsControl(c))
            {
                return ResticRouteResult.BadRequest;
            }

            if (c is '/' or '\\')
            {
                return ResticRouteResult.NotFound;
            }
        }

        return null;
    }

    /// <summary>True when "/" + the segments joined by "/" is exactly <paramref name="decoded"/>.</summary>
    private static bool MatchesDecoded(string[] segments, string decoded)
    {
        var position = 0;
        foreach (var segment in segments)
        {
            if (position >= decoded.Length || decoded[position] != '/' ||
                !decoded.AsSpan(position + 1).StartsWith(segment, StringComparison.Ordinal))
            {
                return false;
            }

            position += 1 + segment.Length;
        }

        return position == decoded.Length;
    }
}
