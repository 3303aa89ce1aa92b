using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using VfsGateway.Frontends.Http;
using VfsGateway.Frontends.S3.Auth;
using VfsGateway.Frontends.S3;
using VfsGateway.Vfs;

namespace VfsGateway.UnitTests.Frontends.S3;

/// <summary>SigV4 against the worked examples of AWS's S3 API reference (sig-v4-header-based-auth, sigv4-query-string-auth, sigv4-streaming).</summary>
public sealed class SigV4AuthenticatorTests
{
    private const string ExampleAccessKey = "AKIAIOSFODNN7EXAMPLE";
    private const string ExampleSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static readonly DateTimeOffset ExampleTime = new(2013, 5, 24, 0, 0, 0, TimeSpan.Zero);

    private static S3Options ExampleOptions(bool pathStyle) => new()
    {
        AuthKeys = [new S3AccessKey("OTHERKEY", "othersecret"), new S3AccessKey(ExampleAccessKey, ExampleSecret)],
        ForcePathStyle = pathStyle,
        BaseDomain = "s3.amazonaws.com",
    };

    private static async Task PutAsync(S3TestHost host, string path, string content)
    {
        await host.Vfs.PutAsync(VfsPath.Parse(path), new MemoryStream(Encoding.ASCII.GetBytes(content)), PutOptions.Default, CancellationToken.None);
    }

    private static Task<HttpContext> GetExampleObjectAsync(S3TestHost host, string signature) =>
        host.Server.SendAsync(c =>
        {
            c.Request.Method = "GET";
            c.Request.Path = "/test.txt";
            c.Request.Host = new HostString("examplebucket.s3.amazonaws.com");
            c.Request.Headers.Range = "bytes=0-9";
            c.Request.Headers["x-amz-content-sha256"] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
            c.Request.Headers["x-amz-date"] = "20130524T000000Z";
            c.Request.Headers.Authorization = $"AWS4-HMAC-SHA256 Credential={ExampleAccessKey}/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature={signature}";
        });

    [Fact]
    public async Task Authorization_AwsGetObjectExample_Accepted()
    {
        await using var host = await S3TestHost.StartAsync(ExampleOptions(pathStyle: false), new FakeTimeProvider(ExampleTime.AddMinutes(3)));
        await PutAsync(host, "examplebucket/test.txt", "0123456789abcdefghij");

        var context = await GetExampleObjectAsync(host, "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");

        Assert.Equal(206, context.Response.StatusCode);
        Assert.Equal("0123456789", await new StreamReader(context.Response.Body).ReadToEndAsync());
        Assert.Equal("bytes 0-9/20", context.Response.Headers.ContentRange.ToString());
        Assert.Equal(ExampleAccessKey, context.User.Identity?.Name);
    }

    [Fact]
    public async Task Authorization_WrongSignature_SignatureDoesNotMatch()
    {
        await using var host = await S3TestHost.StartAsync(ExampleOptions(pathStyle: false), new FakeTimeProvider(ExampleTime));
        await PutAsync(host, "examplebucket/test.txt", "0123456789abcdefghij");

        var context = await GetExampleObjectAsync(host, "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb42");

        Assert.Equal(403, context.Response.StatusCode);
        Assert.Contains("<Code>SignatureDoesNotMatch</Code>", await new StreamReader(context.Response.Body).ReadToEndAsync());
    }

    [Fact]
    public async Task Authorization_ClockSkewOver15Minutes_RequestTimeTooSkewed()
    {
        await using var host = await S3TestHost.StartAsync(ExampleOptions(pathStyle: false), new FakeTimeProvider(ExampleTime.AddMinutes(16)));
        await PutAsync(host, "examplebucket/test.txt", "0123456789abcdefghij");

        var context = await GetExampleObjectAsync(host, "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");

        Assert.Equal(403, context.Response.StatusCode);
        Assert.Contains("<Code>RequestTimeTooSkewed</Code>", await new StreamReader(context.Response.Body).ReadToEndAsync());
    }

    [Theory]
    [InlineData(10, 200)]
    [InlineData(86401, 403)]
    public async Task Presigned_AwsExample_ValidUntilExpiry(int secondsLater, int status)
    {
        await using var host = await S3TestHost.StartAsync(ExampleOptions(pathStyle: false), new FakeTimeProvider(ExampleTime.AddSeconds(secondsLater)));
        await PutAsync(host, "examplebucket/test.txt", "hello");

        var context = await host.Server.SendAsync(c =>
        {
            c.Request.Method = "GET";
            c.Request.Path = "/test.txt";
            c.Request.QueryString = new QueryString("?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
            c.Request.Host = new HostString("examplebucket.s3.amazonaws.com");
        });

        Assert.Equal(status, context.Response.StatusCode);
        var body = await new StreamReader(context.Response.Body).ReadToEndAsync();
        Assert.Equal(status == 200 ? "hello" : "<?xml", status == 200 ? body : body[..5]);
        if (status == 403)
        {
            Assert.Contains("Request has expired", body);
        }
    }

    /// <summary>
    /// AWS: X-Amz-Expires is 1 to 604800 seconds; a negative or larger value is a malformed URL (400
    /// AuthorizationQueryParametersError), 0 one that expired as it was made (403 "Request has expired").
    /// The signature is not the example's for these values: the limits are checked before it, and
    /// 604800 itself passes them and fails only on the signature.
    /// </summary>
    [Theory]
    [InlineData("0", 403, "AccessDenied", "Request has expired")]
    [InlineData("-1", 400, "AuthorizationQueryParametersError", "X-Amz-Expires")]
    [InlineData("-604800", 400, "AuthorizationQueryParametersError", "X-Amz-Expires")]
    [InlineData("604801", 400, "AuthorizationQueryParametersError", "X-Amz-Expires")]
    [InlineData("99999999999", 400, "AuthorizationQueryParametersError", "X-Amz-Expires")]
    [InlineData("abc", 400, "AuthorizationQueryParametersError", "X-Amz-Expires")]
    [InlineData("604800", 403, "SignatureDoesNotMatch", "")]
    public async Task Presigned_ExpiresOutOfRange_RefusedAsAws(string expires, int status, string code, string message)
    {
        await using var host = await S3TestHost.StartAsync(ExampleOptions(pathStyle: false), new FakeTimeProvider(ExampleTime.AddSeconds(10)));
        await PutAsync(host, "examplebucket/test.txt", "hello");

        var context = await host.Server.SendAsync(c =>
        {
            c.Request.Method = "GET";
            c.Request.Path = "/test.txt";
            c.Request.QueryString = new QueryString($"?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires={expires}&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
            c.Request.Host = new HostString("examplebucket.s3.amazonaws.com");
        });

        var body = await new StreamReader(context.Response.Body).ReadToEndAsync();
        Assert.Equal(status, context.Response.StatusCode);
        Assert.Contains($"<Code>{code}</Code>", body, StringComparison.Ordinal);
        Assert.Contains(message, body, StringComparison.Ordinal);
    }

    /// <summary>The "chunkObject.txt" example: 66560 bytes of 'a' in a 64 KiB and a 1 KiB chunk.</summary>
    private static byte[] ChunkedExampleBody(bool tamper)
    {
        var body = new MemoryStream();
        void Ascii(string s) => body.Write(Encoding.ASCII.GetBytes(s));
        Ascii("10000;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\n");
        var first = Enumerable.Repeat((byte)'a', 65536).ToArray();
        if (tamper)
        {
            first[1000] = (byte)'b';
        }

        body.Write(first);
        Ascii("\r\n400;chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497\r\n");
        body.Write(Enumerable.Repeat((byte)'a', 1024).ToArray());
        Ascii("\r\n0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n\r\n");
        return body.ToArray();
    }

    private static Task<HttpContext> PutChunkedExampleAsync(S3TestHost host, byte[] body) =>
        host.Server.SendAsync(c =>
        {
            c.Request.Method = "PUT";
            c.Request.Path = "/examplebucket/chunkObject.txt";
            c.Request.Host = new HostString("s3.amazonaws.com");
            c.Request.Headers.ContentEncoding = "aws-chunked";
            c.Request.ContentLength = body.Length;
            c.Request.Headers["x-amz-content-sha256"] = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
            c.Request.Headers["x-amz-date"] = "20130524T000000Z";
            c.Request.Headers["x-amz-decoded-content-length"] = "66560";
            c.Request.Headers["x-amz-storage-class"] = "REDUCED_REDUNDANCY";
            c.Request.Headers.Authorization = "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";
            c.Request.Body = new MemoryStream(body);
        });

    [Fact]
    public async Task StreamingSigned_AwsChunkedExample_StoresDecodedPayload()
    {
        await using var host = await S3TestHost.StartAsync(ExampleOptions(pathStyle: true), new FakeTimeProvider(ExampleTime));
        await host.Vfs.MkdirAsync(VfsPath.Parse("examplebucket"), CancellationToken.None);

        var context = await PutChunkedExampleAsync(host, ChunkedExampleBody(tamper: false));

        Assert.Equal(200, context.Response.StatusCode);
        var entry = await host.Vfs.StatAsync(VfsPath.Parse("examplebucket/chunkObject.txt"), CancellationToken.None);
        Assert.Equal(66560, entry.Size);
        await using var stored = await host.Vfs.OpenReadAsync(entry.Path, null, CancellationToken.None);
        var bytes = new byte[66560];
        await stored.ReadExactlyAsync(bytes);
        Assert.All(bytes, b => Assert.Equal((byte)'a', b));
    }

    [Fact]
    public async Task StreamingSigned_TamperedChunk_RejectedAndNothingStored()
    {
        await using var host = await S3TestHost.StartAsync(ExampleOptions(pathStyle: true), new FakeTimeProvider(ExampleTime));
        await host.Vfs.MkdirAsync(VfsPath.Parse("examplebucket"), CancellationToken.None);

        var context = await PutChunkedExampleAsync(host, ChunkedExampleBody(tamper: true));

        Assert.Equal(403, context.Response.StatusCode);
        Assert.Contains("<Code>SignatureDoesNotMatch</Code>", await new StreamReader(context.Response.Body).ReadToEndAsync());
        await Assert.ThrowsAsync<VfsException>(async () => await host.Vfs.StatAsync(VfsPath.Parse("examplebucket/chunkObject.txt"), CancellationToken.None));
    }

    [Fact]
    public async Task Request_UnknownAccessKey_InvalidAccessKeyId()
    {
        await using var host = await S3TestHost.StartAsync();
        using var request = TestSigner.Sign(HttpMethod.Get, "/", null, null, DateTimeOffset.UtcNow, "UNSIGNED-PAYLOAD", accessKey: "NOSUCHKEY");

        using var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("<Code>InvalidAccessKeyId</Code>", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Request_Unsigned_AccessDenied()
    {
        await using var host = await S3TestHost.StartAsync();

        using var response = await host.Client.GetAsync("/");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("<Code>AccessDenied</Code>", body);
        Assert.Contains("<RequestId>", body);
        Assert.True(response.Headers.Contains("x-amz-request-id"));
    }

    [Fact]
    public async Task Request_AnyRegionWithTestSigner_Accepted()
    {
        await using var host = await S3TestHost.StartAsync();
        using var request = TestSigner.Sign(HttpMethod.Get, "/", null, null, DateTimeOffset.UtcNow, "UNSIGNED-PAYLOAD", region: "eu-central-7");

        using var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("ListAllMyBucketsResult", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task StartAsync_NoKeysWithoutNoAuth_Refuses()
    {
        var vfs = new VirtualFileSystem(new VfsGateway.Backends.Memory.MemoryBackend(new VfsGateway.Backends.Memory.MemoryOptions(VfsPath.Root)));
        var frontend = new S3Frontend(vfs, new S3Options(), Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);

        var e = await Assert.ThrowsAsync<GatewayStartupException>(() => frontend.StartAsync(CancellationToken.None));

        Assert.Contains("--auth-key", e.Message);
    }

    [Fact]
    public async Task Request_NoAuthMode_Served()
    {
        await using var host = await S3TestHost.StartAsync(new S3Options { NoAuth = true });

        using var response = await host.Client.PutAsync("/bucket1", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await host.Vfs.StatAsync(VfsPath.Parse("bucket1"), CancellationToken.None)).IsDirectory);
    }
}
