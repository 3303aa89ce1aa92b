using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using VfsGateway.Vfs;

namespace VfsGateway.Frontends.S3.Auth;

/// <summary>
/// Decodes an aws-chunked body ("hex-size[;chunk-signature=sig]\r\n data \r\n ... 0...\r\n
/// [trailers]\r\n"), verifying every chunk signature (STREAMING-AWS4-HMAC-SHA256-PAYLOAD, what
/// minio-go/restic send over plain http) and the trailer signature, and collecting trailers
/// (x-amz-checksum-*). A chunk's bytes are released only after its signature held, so the last
/// byte a consumer sees comes after the last verification; storing the framing instead would
/// corrupt restic repositories.
/// </summary>
internal sealed class AwsChunkedStream : ReadOnlyStream
{
    private const int MaxLine = 4096;
    private readonly Stream _raw;
    private readonly S3AuthContext _auth;
    private readonly bool _signed;
    private readonly bool _trailer;
    private readonly byte[] _buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
    private readonly IncrementalHash? _chunkHash;
    private readonly Dictionary<string, string> _trailers = new(StringComparer.OrdinalIgnoreCase);
    private int _pos;
    private int _len;
    private long _chunkRemaining;
    private string _chunkSignature = string.Empty;
    private string _previousSignature;
    private bool _done;
    private bool _disposed;

    public AwsChunkedStream(Stream raw, S3AuthContext auth, bool signedChunks, bool trailer)
    {
        _raw = raw;
        _auth = auth;
        _signed = signedChunks;
        _trailer = trailer;
        _previousSignature = auth.Signature;
        _chunkHash = signedChunks && auth.SigningKey is not null ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
    }

    /// <summary>Trailing headers; complete once the stream returned 0.</summary>
    public IReadOnlyDictionary<string, string> Trailers => _trailers;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_done || buffer.Length == 0)
        {
            return 0;
        }

        if (_chunkRemaining == 0)
        {
            await ReadChunkHeaderAsync(cancellationToken).ConfigureAwait(false);
            if (_done)
            {
                return 0;
            }
        }

        var want = (int)Math.Min(buffer.Length, _chunkRemaining);
        int n;
        if (_pos < _len)
        {
            n = Math.Min(want, _len - _pos);
            _buffer.AsSpan(_pos, n).CopyTo(buffer.Span);
            _pos += n;
        }
        else
        {
            n = await _raw.ReadAsync(buffer[..want], cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                throw new S3Exception(S3Error.IncompleteBody, "The aws-chunked body ended inside a chunk.");
            }
        }

        _chunkHash?.AppendData(buffer.Span[..n]);
        _chunkRemaining -= n;
        if (_chunkRemaining == 0)
        {
            if (await ReadLineAsync(cancellationToken).ConfigureAwait(false) is not "")
            {
                throw new S3Exception(S3Error.IncompleteBody, "An aws-chunked chunk is longer than its declared size.");
            }

            VerifyChunk(Convert.ToHexStringLower(_chunkHash?.GetHashAndReset() ?? []));
        }

        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (!_disposed)
        {
            _disposed = true;
            ArrayPool<byte>.Shared.Return(_buffer);
            _chunkHash?.Dispose();
        }

        base.Dispose(disposing);
    }

    private async ValueTask ReadChunkHeaderAsync(CancellationToken cancellationToken)
    {
        var line = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
        var semicolon = line.IndexOf(';', StringComparison.Ordinal);
        var sizeText = semicolon < 0 ? line : line[..semicolon];
        if (sizeText.Length is 0 or > 15 || !long.TryParse(sizeText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size))
        {
            throw new S3Exception(S3Error.IncompleteBody, "Malformed aws-chunked chunk header.");
        }

        _chunkSignature = string.Empty;
        if (semicolon >= 0)
        {
            var extension = line[(semicolon + 1)..];
            const string prefix = "chunk-signature=";
            if (!extension.StartsWith(prefix, StringComparison.Ordinal))
            {
                throw new S3Exception(S3Error.IncompleteBody, "Malformed aws-chunked chunk extension.");
            }

            _chunkSignature = extension[prefix.Length..];
        }

        if (_signed && _chunkSignature.Length == 0)
        {
            throw new S3Exception(S3Error.SignatureDoesNotMatch, "A signed aws-chunked chunk has no chunk-signature.");
        }

        if (size > 0)
        {
            _chunkRemaining = size;
            return;
        }

        VerifyChunk(SigV4.EmptySha256);
        if (_trailer)
        {
            await ReadTrailersAsync(cancellationToken).ConfigureAwait(false);
        }
        else if (await ReadLineAsync(cancellationToken).ConfigureAwait(false) is not "")
        {
            throw new S3Exception(S3Error.IncompleteBody, "Malformed end of an aws-chunked body.");
        }

        _done = true;
    }

    private async ValueTask ReadTrailersAsync(CancellationToken cancellationToken)
    {
        string? trailerSignature = null;
        var canonical = new StringBuilder();
        while (true)
        {
            var line = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (line.Length == 0)
            {
                break;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new S3Exception(S3Error.IncompleteBody, "Malformed aws-chunked trailer.");
            }

            var name = line[..colon].Trim().ToLowerInvariant();
            var value = line[(colon + 1)..].Trim();
            if (name == "x-amz-trailer-signature")
            {
                trailerSignature = value;
                continue;
            }

            if (_trailers.Count >= 16)
            {
                throw new S3Exception(S3Error.InvalidRequest, "Too many trailers.");
            }

            _trailers[name] = value;
            canonical.Append(name).Append(':').Append(value).Append('\n');
        }

        if (_signed && _auth.SigningKey is not null)
        {
            if (trailerSignature is null)
            {
                throw new S3Exception(S3Error.SignatureDoesNotMatch, "The signed trailer has no x-amz-trailer-signature.");
            }

            var stringToSign = $"AWS4-HMAC-SHA256-TRAILER\n{_auth.AmzDate}\n{_auth.Scope}\n{_previousSignature}\n{SigV4.Sha256Hex(canonical.ToString())}";
            if (!SigV4.SignaturesEqual(SigV4.Sign(_auth.SigningKey, stringToSign), trailerSignature))
            {
                throw new S3Exception(S3Error.SignatureDoesNotMatch, "The trailer signature does not match.");
            }
        }
    }

    private void VerifyChunk(string chunkSha256)
    {
        if (!_signed || _auth.SigningKey is null)
        {
            return;
        }

        var stringToSign = $"AWS4-HMAC-SHA256-PAYLOAD\n{_auth.AmzDate}\n{_auth.Scope}\n{_previousSignature}\n{SigV4.EmptySha256}\n{chunkSha256}";
        var expected = SigV4.Sign(_auth.SigningKey, stringToSign);
        if (!SigV4.SignaturesEqual(expected, _chunkSignature))
        {
            throw new S3Exception(S3Error.SignatureDoesNotMatch, "A chunk signature of the aws-chunked body does not match.");
        }

        _previousSignature = expected;
    }

    /// <summary>Reads one CRLF-terminated ASCII line (without the CRLF) from the framing.</summary>
    private async ValueTask<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        var start = _pos;
        var scanned = _pos;
        while (true)
        {
            var crlf = _buffer.AsSpan(scanned, _len - scanned).IndexOf("\r\n"u8);
            if (crlf >= 0)
            {
                var line = Encoding.ASCII.GetString(_buffer, start, scanned + crlf - start);
                _pos = scanned + crlf + 2;
                return line;
            }

            if (_len - start >= MaxLine)
            {
                throw new S3Exception(S3Error.IncompleteBody, "An aws-chunked framing line is too long.");
            }

            // Move the partial line to the front and read more.
            if (start > 0)
            {
                Buffer.BlockCopy(_buffer, start, _buffer, 0, _len - start);
                _len -= start;
                scanned -= start;
                start = 0;
            }

            scanned = Math.Max(start, _len - 1);
            var n = await _raw.ReadAsync(_buffer.AsMemory(_len), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                throw new S3Exception(S3Error.IncompleteBody, "The aws-chunked body ended inside its framing.");
            }

            _len += n;
        }
    }
}
