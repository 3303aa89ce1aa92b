using Microsoft.AspNetCore.Http;

namespace VfsGateway.Frontends.Restic;

/// <summary>What a request target names: a <see cref="Route"/>, or the status to answer with instead.</summary>
internal readonly record struct ResticRouteResult
{
    private ResticRouteResult(ResticRoute route, int status)
    {
        Route = route;
        Status = status;
    }

    /// <summary>A path that names nothing here (rest-server's 404).</summary>
    public static ResticRouteResult NotFound { get; } = new(default, StatusCodes.Status404NotFound);

    /// <summary>A malformed path: NUL or control characters, or a raw target the server decoded differently.</summary>
    public static ResticRouteResult BadRequest { get; } = new(default, StatusCodes.Status400BadRequest);

    /// <summary>The route; only meaningful when <see cref="IsRoute"/>.</summary>
    public ResticRoute Route { get; }

    /// <summary>200 for a route, else the status to answer with (404 or 400).</summary>
    public int Status { get; }

    public bool IsRoute => Status == StatusCodes.Status200OK;

    public static ResticRouteResult Of(ResticRoute route) => new(route, StatusCodes.Status200OK);
}
