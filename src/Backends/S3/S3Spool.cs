using System.Buffers;
using System.Security.Cryptography;

namespace VfsGateway.Backends.S3;

/// <summary>
/// One request body (a small object or one part) read off the caller's stream before it is sent:
/// S3 needs its length and MD5 up front, the SDK must be able to resend it on a retry, and a failure
/// of the caller's stream must surface as that failure, not as a failed request. Held in a buffer
/// rented from the shared pool up to <c>memoryLimit</c> bytes (the chunk size: bounded memory);
/// a frontend part larger than that spills to a temp file deleted on dispose.
/// </summary>
internal sealed class S3Spool : IDisposable
{
    private const int ReadSize = 128 * 1024;

    private byte[]? _buffer;
    private int _count;
    private FileStream? _file;

    private S3Spool()
    {
    }

    public long Length { get; private set; }

    /// <summary>True when the source ended before the limit was reached.</summary>
    public bool SourceEnded { get; private set; }

    /// <summary>MD5 of the bytes (S3's Content-MD5 and part ETag).</summary>
    public byte[] Md5 { get; private set; } = [];

    public string Md5Base64 => Convert.ToBase64String(Md5);

    public string Md5ETag => "\"" + Convert.ToHexStringLower(Md5) + "\"";

    /// <summary>Reads up to <paramref name="limit"/> bytes (null: to the end) from <paramref name="source"/>.</summary>
    public static async Task<S3Spool> FillAsync(Stream source, long? limit, long memoryLimit, bool spillToDisk, CancellationToken cancellationToken)
    {
        var spool = new S3Spool();
        try
        {
            await spool.ReadAsync(source, limit ?? long.MaxValue, memoryLimit, spillToDisk, cancellationToken).ConfigureAwait(false);
            return spool;
        }
        catch
        {
            spool.Dispose();
            throw;
        }
    }

    /// <summary>A new seekable view of the bytes (the SDK rewinds it on a retry); disposing it leaves the spool intact.</summary>
    public Stream OpenRead()
    {
        if (_file is not null)
        {
            return new FileStream(_file.Name, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, ReadSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }

        return new MemoryStream(_buffer ?? [], 0, _count, writable: false);
    }

    public void Dispose()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }

        _file?.Dispose();
        _file = null;
    }

    private async Task ReadAsync(Stream source, long limit, long memoryLimit, bool spillToDisk, CancellationToken cancellationToken)
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        _buffer = ArrayPool<byte>.Shared.Rent((int)Math.Max(1, Math.Min(limit, memoryLimit)));
        var capacity = (int)Math.Min(_buffer.Length, Math.Min(limit, memoryLimit));
        while (Length < limit)
        {
            if (_count < capacity)
            {
                var read = await source.ReadAsync(_buffer.AsMemory(_count, capacity - _count), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    SourceEnded = true;
                    break;
                }

                md5.AppendData(_buffer, _count, read);
                _count += read;
                Length += read;
                continue;
            }

            if (!spillToDisk)
            {
                break;
            }

            // Memory is full: move what is there to a temp file and stream the rest to it.
            var scratch = ArrayPool<byte>.Shared.Rent(ReadSize);
            try
            {
                _file ??= await CreateSpillFileAsync(_buffer, _count, cancellationToken).ConfigureAwait(false);
                var read = await source.ReadAsync(scratch.AsMemory(0, (int)Math.Min(scratch.Length, limit - Length)), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    SourceEnded = true;
                    break;
                }

                md5.AppendData(scratch, 0, read);
                await _file.WriteAsync(scratch.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                Length += read;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(scratch);
            }
        }

        if (_file is not null)
        {
            await _file.FlushAsync(cancellationToken).ConfigureAwait(false);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
            _count = 0;
        }

        Md5 = md5.GetHashAndReset();
    }

    private static async Task<FileStream> CreateSpillFileAsync(byte[] buffer, int count, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetTempPath(), "gateway-s3-part-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)));
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete, ReadSize, FileOptions.Asynchronous | FileOptions.DeleteOnClose);
        await file.WriteAsync(buffer.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
        return file;
    }
}
