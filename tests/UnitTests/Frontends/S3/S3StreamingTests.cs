using System.Globalization;
using System.Net;
using System.Text;
using VfsGateway.Frontends.S3.Checksums;
using VfsGateway.Vfs;

namespace VfsGateway.UnitTests.Frontends.S3;

/// <summary>STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER bodies built by hand: chunk and trailer signatures, checksums, truncation.</summary>
public sealed class S3StreamingTests
{
    private const string EmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private static string Crc32(byte[] data)
    {
        using var c = new Checksum(ChecksumAlgorithm.Crc32);
        c.Append(data);
        return Convert.ToBase64String(c.GetHashAndReset());
    }

    /// <summary>Signs the headers, then frames <paramref name="data"/> with chunk signatures chained from the seed and a signed trailer.</summary>
    private static HttpRequestMessage SignedTrailerRequest(byte[] data, int chunkSize, string checksumValue, Func<string, string>? tamperTrailer = null, bool truncate = false)
    {
        var now = DateTimeOffset.UtcNow;
        var amzDate = TestSigner.AmzDate(now);
        var scope = $"{amzDate[..8]}/us-east-1/s3/aws4_request";
        var key = TestSigner.Key(S3TestHost.SecretKey, amzDate[..8]);
        var request = TestSigner.Sign(HttpMethod.Put, "/bucket/obj", null, [], now, "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", new()
        {
            ["content-encoding"] = "aws-chunked",
            ["x-amz-decoded-content-length"] = data.Length.ToString(CultureInfo.InvariantCulture),
            ["x-amz-trailer"] = "x-amz-checksum-crc32",
        });
        var authorization = request.Headers.GetValues("Authorization").Single();
        var previous = authorization[(authorization.IndexOf("Signature=", StringComparison.Ordinal) + 10)..];

        var body = new MemoryStream();
        void Ascii(string s) => body.Write(Encoding.ASCII.GetBytes(s));
        string ChunkSignature(byte[] chunk) => previous = TestSigner.Hmac(key, $"AWS4-HMAC-SHA256-PAYLOAD\n{amzDate}\n{scope}\n{previous}\n{EmptySha256}\n{TestSigner.Sha256(chunk)}");
        for (var offset = 0; offset < data.Length; offset += chunkSize)
        {
            var chunk = data.AsSpan(offset, Math.Min(chunkSize, data.Length - offset)).ToArray();
            Ascii($"{chunk.Length:x};chunk-signature={ChunkSignature(chunk)}\r\n");
            body.Write(chunk);
            Ascii("\r\n");
        }

        if (!truncate)
        {
            Ascii($"0;chunk-signature={ChunkSignature([])}\r\n");
            var trailer = $"x-amz-checksum-crc32:{checksumValue}";
            var trailerSignature = TestSigner.Hmac(key, $"AWS4-HMAC-SHA256-TRAILER\n{amzDate}\n{scope}\n{previous}\n{TestSigner.Sha256(Encoding.ASCII.GetBytes(trailer + "\n"))}");
            Ascii($"{tamperTrailer?.Invoke(trailer) ?? trailer}\r\nx-amz-trailer-signature:{trailerSignature}\r\n\r\n");
        }

        var content = new ByteArrayContent(body.ToArray());
        foreach (var header in request.Content!.Headers.Where(h => h.Key != "Content-Length"))
        {
            content.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        request.Content = content;
        return request;
    }

    private static async Task<(S3TestHost Host, byte[] Data)> SetupAsync()
    {
        var host = await S3TestHost.StartAsync();
        await host.Vfs.MkdirAsync(VfsPath.Parse("bucket"), CancellationToken.None);
        var data = new byte[70_000];
        new Random(5).NextBytes(data);
        return (host, data);
    }

    [Fact]
    public async Task SignedTrailer_Valid_StoredAndChecksumEchoed()
    {
        var (host, data) = await SetupAsync();
        await using var _ = host;

        using var response = await host.Client.SendAsync(SignedTrailerRequest(data, 16384, Crc32(data)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Crc32(data), response.Headers.GetValues("x-amz-checksum-crc32").Single());
        Assert.Equal(data.Length, (await host.Vfs.StatAsync(VfsPath.Parse("bucket/obj"), CancellationToken.None)).Size);
    }

    [Fact]
    public async Task SignedTrailer_TrailerChangedAfterSigning_SignatureDoesNotMatch()
    {
        var (host, data) = await SetupAsync();
        await using var _ = host;
        var forged = Crc32([.. data, 1]);

        using var response = await host.Client.SendAsync(SignedTrailerRequest(data, 16384, Crc32(data), t => "x-amz-checksum-crc32:" + forged));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("SignatureDoesNotMatch", await response.Content.ReadAsStringAsync());
        await Assert.ThrowsAsync<VfsException>(async () => await host.Vfs.StatAsync(VfsPath.Parse("bucket/obj"), CancellationToken.None));
    }

    [Fact]
    public async Task SignedTrailer_SignedWrongChecksum_BadDigest()
    {
        var (host, data) = await SetupAsync();
        await using var _ = host;

        using var response = await host.Client.SendAsync(SignedTrailerRequest(data, 16384, Crc32([.. data, 1])));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("BadDigest", await response.Content.ReadAsStringAsync());
        await Assert.ThrowsAsync<VfsException>(async () => await host.Vfs.StatAsync(VfsPath.Parse("bucket/obj"), CancellationToken.None));
    }

    [Fact]
    public async Task SignedTrailer_BodyWithoutFinalChunk_IncompleteBodyNothingStored()
    {
        var (host, data) = await SetupAsync();
        await using var _ = host;

        using var response = await host.Client.SendAsync(SignedTrailerRequest(data, 16384, Crc32(data), truncate: true));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("IncompleteBody", await response.Content.ReadAsStringAsync());
        await Assert.ThrowsAsync<VfsException>(async () => await host.Vfs.StatAsync(VfsPath.Parse("bucket/obj"), CancellationToken.None));
    }
}
