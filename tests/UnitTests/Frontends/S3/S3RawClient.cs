using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.TestHost;

namespace VfsGateway.UnitTests.Frontends.S3;

/// <summary>Hand-made requests with exact targets and headers (no client-side URI normalization).</summary>
internal static class S3RawClient
{
    public sealed record Result(int Status, IHeaderDictionary Headers, string Body, byte[] Bytes);

    public static async Task<Result> SendAsync(S3TestHost host, string method, string rawTarget, byte[]? body = null, Dictionary<string, string>? headers = null)
    {
        var context = await host.Server.SendAsync(c =>
        {
            var q = rawTarget.IndexOf('?', StringComparison.Ordinal);
            var path = q < 0 ? rawTarget : rawTarget[..q];
            c.Request.Method = method;
            // The frontend reads RawTarget; Path only has to be something TestServer accepts.
            c.Request.Path = path.Contains("%00", StringComparison.Ordinal) ? new PathString("/x") : PathString.FromUriComponent(path);
            c.Request.QueryString = q < 0 ? QueryString.Empty : new QueryString(rawTarget[q..]);
            c.Request.Host = new HostString("localhost");
            c.Features.Get<IHttpRequestFeature>()!.RawTarget = rawTarget;
            foreach (var (k, v) in headers ?? [])
            {
                c.Request.Headers[k] = v;
            }

            if (body is not null)
            {
                c.Request.Body = new MemoryStream(body);
                c.Request.ContentLength ??= body.Length;
            }
        });
        using var ms = new MemoryStream();
        await context.Response.Body.CopyToAsync(ms);
        var bytes = ms.ToArray();
        return new Result(context.Response.StatusCode, context.Response.Headers, Encoding.UTF8.GetString(bytes), bytes);
    }

    /// <summary>An aws-chunked body without chunk signatures, with trailers (STREAMING-UNSIGNED-PAYLOAD-TRAILER).</summary>
    public static byte[] UnsignedChunked(byte[] data, int chunkSize, params (string Name, string Value)[] trailers)
    {
        var ms = new MemoryStream();
        for (var offset = 0; offset < data.Length; offset += chunkSize)
        {
            var n = Math.Min(chunkSize, data.Length - offset);
            ms.Write(Encoding.ASCII.GetBytes($"{n:x}\r\n"));
            ms.Write(data, offset, n);
            ms.Write("\r\n"u8);
        }

        ms.Write("0\r\n"u8);
        foreach (var (name, value) in trailers)
        {
            ms.Write(Encoding.ASCII.GetBytes($"{name}:{value}\r\n"));
        }

        ms.Write("\r\n"u8);
        return ms.ToArray();
    }
}
