using System.Net;
using System.Security.Cryptography;
using VfsGateway.Backends.S3;
using VfsGateway.ConformanceTests.Support;
using VfsGateway.Vfs;
using VfsGateway.Vfs.Registry;

namespace VfsGateway.ConformanceTests.Backends.S3;

/// <summary>
/// What a put with a known SHA-256 (restic's uploads) looks like on the wire over http, seen by a
/// loopback listener standing in for the S3 server: a plain body (no aws-chunked framing) of exactly
/// the content, the digest as x-amz-checksum-sha256, and UNSIGNED-PAYLOAD as the payload hash, so
/// the SDK did not hash the body again. Pins the SDK behaviour S3SdkClient relies on.
/// </summary>
public sealed class S3KnownSha256WireTests
{
    private const int Size = 3 * 1024 * 1024;

    [Fact]
    public async Task Put_KnownSha256_GoesPlainWithItsChecksumAndAnUnsignedPayload()
    {
        var port = FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var seen = AnswerOnePutAsync(listener);

        var options = new Dictionary<string, string>
        {
            ["endpoint"] = $"http://127.0.0.1:{port}",
            ["access_key_id"] = "AK",
            ["secret_access_key"] = "SK",
            ["region"] = "us-east-1",
            ["no_check_bucket"] = "true",
        };
        var backend = await S3Registration.Registration.Factory(new BackendConfig(S3Registration.Registration, "bucket/sub", options), CancellationToken.None);
        await using (backend)
        {
            var digest = SHA256.HashData(await ReadAllAsync(new PatternStream(Size)));
            await backend.PutAsync(VfsPath.Parse("obj"), new PatternStream(Size), new PutOptions(Size) { Sha256 = digest }, CancellationToken.None);

            var (headers, body) = await seen;
            Assert.Equal("UNSIGNED-PAYLOAD", headers["x-amz-content-sha256"]);
            Assert.Equal(Convert.ToBase64String(digest), headers["x-amz-checksum-sha256"]);
            Assert.Null(headers["content-encoding"]);
            Assert.Equal(digest, SHA256.HashData(body));
        }
    }

    private static async Task<(WebHeaderCollection Headers, byte[] Body)> AnswerOnePutAsync(HttpListener listener)
    {
        while (true)
        {
            var context = await listener.GetContextAsync();
            var body = await ReadAllAsync(context.Request.InputStream);
            var headers = (WebHeaderCollection)context.Request.Headers;
            context.Response.StatusCode = 200;
            // Any ETag does: the backend only passes it on.
            context.Response.Headers["ETag"] = "\"0123456789abcdef0123456789abcdef\"";
            context.Response.Close();
            if (context.Request.HttpMethod == "PUT")
            {
                return (headers, body);
            }
        }
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    private static int FreePort()
    {
        using var socket = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
