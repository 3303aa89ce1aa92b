using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Security.Cryptography;

namespace VfsGateway.Backends.S3;

/// <summary>
/// One request body (a small object or one part) read off the caller's stream before it is sent:
/// S3 needs its length and checksum up front, the SDK must be able to resend it on a retry, and a
/// failure of the caller's stream must surface as that failure, not as a failed request. The CRC-32
/// (x-amz-checksum-crc32) is computed here in the same pass, vectorized, because the SDK's own is
/// a managed table loop that cost a third of the gateway's CPU on uploads; the MD5 (Content-MD5)
/// only for servers without flexible checksums (request_checksum=when_required). Held in a buffer
/// from the backend's <see cref="S3BufferPool"/> up to <c>memoryLimit</c> bytes (the chunk size:
/// bounded memory; a body starts in a buffer of at most the chunk size, the size kept for reuse,
/// and moves to a bigger one only when it outgrows it); a frontend part larger than that spills
/// to a temp file deleted on dispose.
/// </summary>
internal sealed class S3Spool : IDisposable
{
    private const int ReadSize = 128 * 1024;

    private readonly S3BufferPool _pool;
    private byte[]? _buffer;
    private int _count;
    private FileStream? _file;

    private S3Spool(S3BufferPool pool)
    {
        _pool = pool;
    }

    public long Length { get; private set; }

    /// <summary>True when the source ended before the limit was reached.</summary>
    public bool SourceEnded { get; private set; }

    /// <summary>MD5 of the bytes (S3's Content-MD5 and part ETag); null unless asked for.</summary>
    public byte[]? Md5 { get; private set; }

    /// <summary>Base64 of <see cref="Md5"/> (the Content-MD5 header), or null when it was not computed.</summary>
    public string? Md5Base64 => Md5 is { } md5 ? Convert.ToBase64String(md5) : null;

    /// <summary>The ETag S3 gives a single-part object of these bytes, when the MD5 was computed.</summary>
    public string? Md5ETag => Md5 is { } md5 ? "\"" + Convert.ToHexStringLower(md5) + "\"" : null;

    /// <summary>Base64 of the big-endian CRC-32 (the x-amz-checksum-crc32 header).</summary>
    public string Crc32Base64 { get; private set; } = string.Empty;

    /// <summary>Reads up to <paramref name="limit"/> bytes (null: to the end) from <paramref name="source"/>; with <paramref name="md5"/> the MD5 is computed too.</summary>
    public static async Task<S3Spool> FillAsync(Stream source, long? limit, long memoryLimit, bool spillToDisk, bool md5, S3BufferPool pool, CancellationToken cancellationToken)
    {
        var spool = new S3Spool(pool);
        try
        {
            await spool.ReadAsync(source, limit ?? long.MaxValue, memoryLimit, spillToDisk, md5, cancellationToken).ConfigureAwait(false);
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
            _pool.Return(_buffer);
            _buffer = null;
        }

        _file?.Dispose();
        _file = null;
    }

    private async Task ReadAsync(Stream source, long limit, long memoryLimit, bool spillToDisk, bool computeMd5, CancellationToken cancellationToken)
    {
        using var md5 = computeMd5 ? IncrementalHash.CreateHash(HashAlgorithmName.MD5) : null;
        var crc = new Crc32();
        var target = (int)Math.Max(1, Math.Min(limit, memoryLimit));
        _buffer = _pool.Rent(Math.Min(target, _pool.ChunkSize));
        var capacity = Math.Min(_buffer.Length, target);
        while (Length < limit)
        {
            if (_count == capacity && capacity < target)
            {
                // The body outgrew its first (chunk-sized) buffer: move it to one of the full size.
                var bigger = _pool.Rent(target);
                _buffer.AsSpan(0, _count).CopyTo(bigger);
                _pool.Return(_buffer);
                _buffer = bigger;
                capacity = Math.Min(_buffer.Length, target);
            }

            if (_count < capacity)
            {
                var read = await source.ReadAsync(_buffer.AsMemory(_count, capacity - _count), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    SourceEnded = true;
                    break;
                }

                md5?.AppendData(_buffer, _count, read);
                crc.Append(_buffer.AsSpan(_count, read));
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

                md5?.AppendData(scratch, 0, read);
                crc.Append(scratch.AsSpan(0, read));
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
            _pool.Return(_buffer);
            _buffer = null;
            _count = 0;
        }

        Md5 = md5?.GetHashAndReset();
        Span<byte> crcBytes = stackalloc byte[sizeof(uint)];
        BinaryPrimitives.WriteUInt32BigEndian(crcBytes, crc.GetCurrentHashAsUInt32());
        Crc32Base64 = Convert.ToBase64String(crcBytes);
    }

    private static async Task<FileStream> CreateSpillFileAsync(byte[] buffer, int count, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetTempPath(), "gateway-s3-part-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)));
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete, ReadSize, FileOptions.Asynchronous | FileOptions.DeleteOnClose);
        await file.WriteAsync(buffer.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
        return file;
    }
}
