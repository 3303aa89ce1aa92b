using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;

namespace VfsGateway.Frontends.Http.Hosting;

/// <summary>
/// Connection middleware in front of TLS: a connection whose first byte is an ASCII letter (an HTTP
/// method) rather than a TLS handshake record (0x16) gets Go's plain-text answer, "400 Bad Request:
/// Client sent an HTTP request to an HTTPS server", instead of a handshake failure that curl and
/// browsers show as a cryptic protocol error. Nothing is consumed from a real TLS connection.
/// </summary>
internal static class PlainHttpOnTlsPort
{
    private static readonly byte[] Answer =
        "HTTP/1.0 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\nClient sent an HTTP request to an HTTPS server.\n"u8.ToArray();

    public static ConnectionDelegate Create(ConnectionDelegate next) => async context =>
    {
        var input = context.Transport.Input;
        ReadResult result;
        try
        {
            result = await input.ReadAsync(context.ConnectionClosed).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        var buffer = result.Buffer;
        if (buffer.IsEmpty || !char.IsAsciiLetterUpper((char)buffer.FirstSpan[0]))
        {
            // Give the bytes back unconsumed (and unexamined, so the TLS layer's first read returns at once).
            input.AdvanceTo(buffer.Start);
            await next(context).ConfigureAwait(false);
            return;
        }

        input.AdvanceTo(buffer.End);
        try
        {
            await context.Transport.Output.WriteAsync(Answer, context.ConnectionClosed).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ConnectionResetException)
        {
            // The client went away first: nothing to tell it.
        }
    };
}
