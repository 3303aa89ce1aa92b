using System.Text;
using System.Text.Json;
using VfsGateway.Frontends.S3.Multipart;
using VfsGateway.UnitTests.Frontends.Http.Auth;
using VfsGateway.Vfs.Metadata;

namespace VfsGateway.UnitTests.Frontends.S3;

/// <summary>
/// The staged-upload files keep the format the reflection-based serializer wrote before the store
/// moved to source-generated JSON (for trimming and NativeAOT): uploads staged by an older gateway
/// still list and complete, and a new gateway writes the same names.
/// </summary>
public sealed class MultipartStoreFormatTests : IDisposable
{
    private const string UploadId = "0123456789abcdef0123456789abcdef";
    private readonly TempDir _dir = new("mpstore");
    private readonly MultipartStore _store;

    public MultipartStoreFormatTests()
    {
        _store = new MultipartStore(_dir.Path, TimeSpan.FromDays(7), TimeProvider.System);
        _store.Initialize();
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task GetAndListParts_FilesOfTheReflectionSerializer_ReadBack()
    {
        var upload = Directory.CreateDirectory(Path.Combine(_dir.Path, UploadId)).FullName;
        await File.WriteAllTextAsync(Path.Combine(upload, "upload.json"),
            """{"UploadId":"0123456789abcdef0123456789abcdef","Bucket":"photos","Key":"2026/a b.jpg","Initiated":"2026-12-05T10:11:12.345+00:00","ContentType":"image/jpeg","UserMetadata":{"Camera":"x100"},"Headers":{"Cache-Control":"no-cache"},"StorageClass":"STANDARD_IA","Tags":{"k":"v"},"Checksums":null}""");
        await File.WriteAllTextAsync(Path.Combine(upload, "00002.part.json"),
            """{"PartNumber":2,"Md5":"5d41402abc4b2a76b9719d911017c592","Size":5,"LastModified":"2026-12-05T10:11:13+00:00","Checksum":null}""");
        await File.WriteAllTextAsync(Path.Combine(upload, "00001.part.json"),
            """{"PartNumber":1,"Md5":"7d793037a0760186574b0282f2f435e7","Size":5242880,"LastModified":"2026-12-05T10:11:14+00:00","Checksum":"crc32c:AAAAAA=="}""");

        var staged = await _store.GetAsync(UploadId, CancellationToken.None);
        Assert.NotNull(staged);
        Assert.Equal(("photos", "2026/a b.jpg", "image/jpeg", "STANDARD_IA"), (staged.Bucket, staged.Key, staged.ContentType, staged.StorageClass));
        Assert.Equal(new DateTimeOffset(2026, 12, 5, 10, 11, 12, 345, TimeSpan.Zero), staged.Initiated);
        Assert.Equal("x100", staged.UserMetadata["Camera"]);
        Assert.Equal("no-cache", staged.Headers["Cache-Control"]);
        Assert.Equal("v", staged.Tags!["k"]);
        Assert.Null(staged.Checksums);

        var parts = await _store.ListPartsAsync(UploadId, CancellationToken.None);
        Assert.Equal([1, 2], parts.Select(p => p.PartNumber));
        Assert.Equal((5242880L, "7d793037a0760186574b0282f2f435e7", "crc32c:AAAAAA=="), (parts[0].Size, parts[0].Md5, parts[0].Checksum));
        Assert.Equal(new DateTimeOffset(2026, 12, 5, 10, 11, 13, TimeSpan.Zero), parts[1].LastModified);
        Assert.Null(parts[1].Checksum);
    }

    [Fact]
    public async Task CreateAndStagePart_WriteThePascalCaseNames()
    {
        var metadata = new ObjectMetadata { ContentType = "text/plain", UserMetadata = new Dictionary<string, string> { ["a"] = "1" } };
        var upload = await _store.CreateAsync("b", "k", metadata, CancellationToken.None);
        await _store.StagePartAsync(upload.UploadId, 3, new MemoryStream(Encoding.ASCII.GetBytes("hello")), null, CancellationToken.None);

        using var created = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(_dir.Path, upload.UploadId, "upload.json")));
        Assert.Equal(
            ["UploadId", "Bucket", "Key", "Initiated", "ContentType", "UserMetadata", "Headers", "StorageClass", "Tags", "Checksums"],
            created.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("1", created.RootElement.GetProperty("UserMetadata").GetProperty("a").GetString());

        using var part = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(_dir.Path, upload.UploadId, "00003.part.json")));
        Assert.Equal(["PartNumber", "Md5", "Size", "LastModified", "Checksum"], part.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("5d41402abc4b2a76b9719d911017c592", part.RootElement.GetProperty("Md5").GetString());
    }
}
