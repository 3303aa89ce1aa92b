using Microsoft.AspNetCore.Http;

namespace VfsGateway.Frontends.Http;

/// <summary>
/// A protocol served over HTTP (restic REST, S3). The host (<see cref="GatewayHost"/>) owns Kestrel,
/// TLS, the access log and limits; the frontend owns routing, auth and error mapping. A frontend
/// that authenticates a request sets <see cref="HttpContext.User"/> to an identity named after
/// the user, so the access log can print it.
/// </summary>
public interface IHttpFrontend
{
    /// <summary>Checks the configuration and loads what the frontend needs before the first request
    /// (credentials, quota usage). Throws <see cref="GatewayStartupException"/> with a message a
    /// person can act on when the server must not start.</summary>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Handles one request completely (terminal middleware).</summary>
    Task HandleAsync(HttpContext context);
}
