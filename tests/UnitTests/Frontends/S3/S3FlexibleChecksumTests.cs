using System.Buffers.Binary;
using System.IO.Hashing;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using VfsGateway.Frontends.S3;
using VfsGateway.Frontends.S3.Checksums;

namespace VfsGateway.UnitTests.Frontends.S3;

/// <summary>Flexible checksums on multipart uploads (COMPOSITE and FULL_OBJECT), over both multipart stores.</summary>
public sealed class S3FlexibleChecksumTests
{
    private const int MiB = 1024 * 1024;

    private static byte[] Data(int size, int seed)
    {
        var data = new byte[size];
        new Random(seed).NextBytes(data);
        return data;
    }

    private static string Crc32(byte[] data) => Convert.ToBase64String(BitConverter.GetBytes(BinaryPrimitives.ReverseEndianness(System.IO.Hashing.Crc32.HashToUInt32(data))));

    private static string Crc32C(byte[] data)
    {
        var crc = new System.IO.Hashing.Crc32(Crc32ParameterSet.Crc32C);
        crc.Append(data);
        return Convert.ToBase64String(BitConverter.GetBytes(BinaryPrimitives.ReverseEndianness(crc.GetCurrentHashAsUInt32())));
    }

    private static string Element(string xml, string name) =>
        XDocument.Parse(xml).Descendants().First(e => e.Name.LocalName == name).Value;

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    private static async Task<string> CreateAsync(S3TestHost host, string key, Dictionary<string, string> headers)
    {
        await S3RawClient.SendAsync(host, "PUT", "/bucket");
        var init = await S3RawClient.SendAsync(host, "POST", $"/bucket/{key}?uploads", headers: headers);
        Assert.Equal(200, init.Status);
        return Element(init.Body, "UploadId");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Multipart_CompositeCrc32_PartsListedCompleteVerifiedStoredReturned(bool backendMultipart)
    {
        await using var host = await S3TestHost.StartAsync(new S3Options { NoAuth = true }, backendMultipart: backendMultipart);
        await S3RawClient.SendAsync(host, "PUT", "/bucket");
        var init = await S3RawClient.SendAsync(host, "POST", "/bucket/obj?uploads", headers: new() { ["x-amz-checksum-algorithm"] = "CRC32" });
        Assert.Equal("CRC32", init.Headers["x-amz-checksum-algorithm"].ToString());
        Assert.Equal("COMPOSITE", init.Headers["x-amz-checksum-type"].ToString());
        var id = Element(init.Body, "UploadId");
        var (a, b) = (Data(5 * MiB, 1), Data(1000, 2));

        // Part 1 without a checksum header: the gateway computes it. Part 2 with one: verified.
        var p1 = await S3RawClient.SendAsync(host, "PUT", $"/bucket/obj?partNumber=1&uploadId={id}", a);
        var p2 = await S3RawClient.SendAsync(host, "PUT", $"/bucket/obj?partNumber=2&uploadId={id}", b, new() { ["x-amz-checksum-crc32"] = Crc32(b) });
        var bad = await S3RawClient.SendAsync(host, "PUT", $"/bucket/obj?partNumber=3&uploadId={id}", b, new() { ["x-amz-checksum-crc32"] = Crc32(a) });
        var otherAlgorithm = await S3RawClient.SendAsync(host, "PUT", $"/bucket/obj?partNumber=3&uploadId={id}", b, new() { ["x-amz-checksum-crc32c"] = Crc32C(b) });
        Assert.Equal(Crc32(a), p1.Headers["x-amz-checksum-crc32"].ToString());
        Assert.Equal(Crc32(b), p2.Headers["x-amz-checksum-crc32"].ToString());
        Assert.Contains("<Code>BadDigest</Code>", bad.Body);
        Assert.Contains("<Code>InvalidRequest</Code>", otherAlgorithm.Body);

        var list = await S3RawClient.SendAsync(host, "GET", $"/bucket/obj?uploadId={id}");
        Assert.Equal("CRC32", Element(list.Body, "ChecksumAlgorithm"));
        Assert.Equal([Crc32(a), Crc32(b)], XDocument.Parse(list.Body).Descendants().Where(e => e.Name.LocalName == "ChecksumCRC32").Select(e => e.Value));

        var composite = Convert.ToBase64String(BitConverter.GetBytes(BinaryPrimitives.ReverseEndianness(System.IO.Hashing.Crc32.HashToUInt32([.. Convert.FromBase64String(Crc32(a)), .. Convert.FromBase64String(Crc32(b))])))) + "-2";
        var wrongPart = $"<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>{p1.Headers.ETag}</ETag><ChecksumCRC32>{Crc32(b)}</ChecksumCRC32></Part><Part><PartNumber>2</PartNumber><ETag>{p2.Headers.ETag}</ETag></Part></CompleteMultipartUpload>";
        var rejected = await S3RawClient.SendAsync(host, "POST", $"/bucket/obj?uploadId={id}", Utf8(wrongPart));
        Assert.Contains("<Code>InvalidPart</Code>", rejected.Body);
        var xml = $"<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>{p1.Headers.ETag}</ETag><ChecksumCRC32>{Crc32(a)}</ChecksumCRC32></Part><Part><PartNumber>2</PartNumber><ETag>{p2.Headers.ETag}</ETag><ChecksumCRC32>{Crc32(b)}</ChecksumCRC32></Part></CompleteMultipartUpload>";
        var complete = await S3RawClient.SendAsync(host, "POST", $"/bucket/obj?uploadId={id}", Utf8(xml), new() { ["x-amz-checksum-crc32"] = composite });

        Assert.Equal(200, complete.Status);
        Assert.Equal(composite, Element(complete.Body, "ChecksumCRC32"));
        Assert.Equal("COMPOSITE", Element(complete.Body, "ChecksumType"));
        var head = await S3RawClient.SendAsync(host, "HEAD", "/bucket/obj", headers: new() { ["x-amz-checksum-mode"] = "ENABLED" });
        Assert.Equal(composite, head.Headers["x-amz-checksum-crc32"].ToString());
        Assert.Equal("COMPOSITE", head.Headers["x-amz-checksum-type"].ToString());
        var plainHead = await S3RawClient.SendAsync(host, "HEAD", "/bucket/obj");
        Assert.False(plainHead.Headers.ContainsKey("x-amz-checksum-crc32"));
        var attributes = await S3RawClient.SendAsync(host, "GET", "/bucket/obj?attributes", headers: new() { ["x-amz-object-attributes"] = "ETag,Checksum,ObjectParts,StorageClass,ObjectSize" });
        Assert.Equal(200, attributes.Status);
        Assert.Equal(composite[..^2], Element(attributes.Body, "ChecksumCRC32"));
        Assert.Equal("2", Element(attributes.Body, "PartsCount"));
        Assert.Equal((5 * MiB + 1000).ToString(System.Globalization.CultureInfo.InvariantCulture), Element(attributes.Body, "ObjectSize"));
        Assert.Equal("STANDARD", Element(attributes.Body, "StorageClass"));
        Assert.Equal(head.Headers.ETag.ToString().Trim('"'), Element(attributes.Body, "ETag"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Multipart_FullObjectCrc32C_CombinedCrcVerified(bool backendMultipart)
    {
        await using var host = await S3TestHost.StartAsync(new S3Options { NoAuth = true }, backendMultipart: backendMultipart);
        var id = await CreateAsync(host, "full", new() { ["x-amz-checksum-algorithm"] = "CRC32C", ["x-amz-checksum-type"] = "FULL_OBJECT" });
        var (a, b) = (Data(5 * MiB, 3), Data(777, 4));
        var p1 = await S3RawClient.SendAsync(host, "PUT", $"/bucket/full?partNumber=1&uploadId={id}", a, new() { ["x-amz-checksum-crc32c"] = Crc32C(a) });
        var p2 = await S3RawClient.SendAsync(host, "PUT", $"/bucket/full?partNumber=2&uploadId={id}", b);
        var xml = Utf8($"<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>{p1.Headers.ETag}</ETag></Part><Part><PartNumber>2</PartNumber><ETag>{p2.Headers.ETag}</ETag></Part></CompleteMultipartUpload>");
        var whole = Crc32C([.. a, .. b]);

        var wrong = await S3RawClient.SendAsync(host, "POST", $"/bucket/full?uploadId={id}", xml, new() { ["x-amz-checksum-crc32c"] = Crc32C(a) });
        var complete = await S3RawClient.SendAsync(host, "POST", $"/bucket/full?uploadId={id}", xml, new() { ["x-amz-checksum-crc32c"] = whole, ["x-amz-checksum-type"] = "FULL_OBJECT" });

        Assert.Contains("<Code>BadDigest</Code>", wrong.Body);
        Assert.Equal(200, complete.Status);
        Assert.Equal(whole, Element(complete.Body, "ChecksumCRC32C"));
        var get = await S3RawClient.SendAsync(host, "GET", "/bucket/full", headers: new() { ["x-amz-checksum-mode"] = "ENABLED" });
        Assert.Equal(whole, get.Headers["x-amz-checksum-crc32c"].ToString());
        Assert.Equal("FULL_OBJECT", get.Headers["x-amz-checksum-type"].ToString());
    }

    [Fact]
    public async Task UploadPartCopy_UploadWithSha256_PartChecksumComputedAndReturned()
    {
        await using var host = await S3TestHost.StartAsync(new S3Options { NoAuth = true });
        var id = await CreateAsync(host, "dst", new() { ["x-amz-checksum-algorithm"] = "SHA256" });
        var source = Data(3000, 6);
        await S3RawClient.SendAsync(host, "PUT", "/bucket/src", source);

        var copy = await S3RawClient.SendAsync(host, "PUT", $"/bucket/dst?partNumber=1&uploadId={id}", null, new() { ["x-amz-copy-source"] = "/bucket/src", ["x-amz-copy-source-range"] = "bytes=1000-2999" });
        var list = await S3RawClient.SendAsync(host, "GET", $"/bucket/dst?uploadId={id}");

        var expected = Convert.ToBase64String(SHA256.HashData(source.AsSpan(1000)));
        Assert.Equal(200, copy.Status);
        Assert.Equal(expected, Element(copy.Body, "ChecksumSHA256"));
        Assert.Equal(expected, Element(list.Body, "ChecksumSHA256"));
        Assert.Equal("COMPOSITE", Element(list.Body, "ChecksumType"));
    }

    [Theory]
    [InlineData("SHA256", "FULL_OBJECT")]
    [InlineData("CRC64NVME", "COMPOSITE")]
    [InlineData("MD5", null)]
    [InlineData(null, "COMPOSITE")]
    public async Task CreateMultipartUpload_InvalidChecksumMode_InvalidRequest(string? algorithm, string? type)
    {
        await using var host = await S3TestHost.StartAsync(new S3Options { NoAuth = true });
        await S3RawClient.SendAsync(host, "PUT", "/bucket");
        var headers = new Dictionary<string, string>();
        if (algorithm is not null)
        {
            headers["x-amz-checksum-algorithm"] = algorithm;
        }

        if (type is not null)
        {
            headers["x-amz-checksum-type"] = type;
        }

        var result = await S3RawClient.SendAsync(host, "POST", "/bucket/k?uploads", headers: headers);

        Assert.Equal(400, result.Status);
        Assert.Contains("<Code>InvalidRequest</Code>", result.Body);
    }

    [Fact]
    public async Task PutObject_WrongChecksum_BadDigestAndNothingStored()
    {
        await using var host = await S3TestHost.StartAsync(new S3Options { NoAuth = true });
        await S3RawClient.SendAsync(host, "PUT", "/bucket");
        var data = Data(1000, 5);

        var bad = await S3RawClient.SendAsync(host, "PUT", "/bucket/k", data, new() { ["x-amz-checksum-sha256"] = Convert.ToBase64String(SHA256.HashData(new byte[1])) });
        var good = await S3RawClient.SendAsync(host, "PUT", "/bucket/k2", data, new() { ["x-amz-checksum-sha256"] = Convert.ToBase64String(SHA256.HashData(data)) });

        Assert.Equal(400, bad.Status);
        Assert.Contains("<Code>BadDigest</Code>", bad.Body);
        Assert.Equal(404, (await S3RawClient.SendAsync(host, "HEAD", "/bucket/k")).Status);
        Assert.Equal("FULL_OBJECT", good.Headers["x-amz-checksum-type"].ToString());
        var head = await S3RawClient.SendAsync(host, "HEAD", "/bucket/k2", headers: new() { ["x-amz-checksum-mode"] = "ENABLED" });
        Assert.Equal(Convert.ToBase64String(SHA256.HashData(data)), head.Headers["x-amz-checksum-sha256"].ToString());
    }

    [Theory]
    [InlineData("Crc32")]
    [InlineData("Crc32C")]
    [InlineData("Crc64Nvme")]
    public void CrcCombine_TwoPieces_EqualsCrcOfWhole(string name)
    {
        var algorithm = Enum.Parse<ChecksumAlgorithm>(name);
        var data = Data(100_003, 9);
        foreach (var split in new[] { 0, 1, 4096, 100_002, 100_003 })
        {
            var crcA = Value(algorithm, data.AsSpan(0, split));
            var crcB = Value(algorithm, data.AsSpan(split));

            Assert.Equal(Value(algorithm, data), CrcCombine.Combine(algorithm, crcA, crcB, data.Length - split));
        }
    }

    private static ulong Value(ChecksumAlgorithm algorithm, ReadOnlySpan<byte> data)
    {
        using var checksum = new Checksum(algorithm);
        checksum.Append(data);
        var bytes = checksum.GetHashAndReset();
        return bytes.Length == 8 ? BinaryPrimitives.ReadUInt64BigEndian(bytes) : BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }
}
