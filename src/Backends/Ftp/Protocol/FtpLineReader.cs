using System.Text;

namespace VfsGateway.Backends.Ftp.Protocol;

/// <summary>
/// Reads CR LF (or bare LF) terminated lines from a stream: the control connection's replies and
/// LIST/MLSD data. Text is UTF-8 (RFC 2640); a line longer than <see cref="MaxLine"/> is a
/// protocol error rather than unbounded buffering.
/// </summary>
internal sealed class FtpLineReader(Stream stream)
{
    public const int MaxLine = 64 * 1024;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);
    private byte[] _buffer = new byte[4096];
    private int _start;
    private int _end;

    public Stream Stream { get; set; } = stream;

    /// <summary>True when bytes that were read are not consumed yet (nothing may be pending before a TLS upgrade).</summary>
    public bool HasBuffered => _end > _start;

    /// <summary>The next line without its terminator; null at the end of the stream (a last unterminated line is returned first).</summary>
    public async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        var scanned = _start;
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', scanned, _end - scanned);
            if (newline >= 0)
            {
                var length = newline - _start;
                if (length > 0 && _buffer[newline - 1] == '\r')
                {
                    length--;
                }

                var line = Utf8.GetString(_buffer, _start, length);
                _start = newline + 1;
                return line;
            }

            scanned = _end;
            if (_end - _start >= MaxLine)
            {
                throw new FtpProtocolException("the server sent a line longer than 64 KiB");
            }

            if (_start > 0 && _end == _buffer.Length)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                scanned -= _start;
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            var read = await Stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                if (_end == _start)
                {
                    return null;
                }

                var rest = Utf8.GetString(_buffer, _start, _end - _start).TrimEnd('\r');
                _start = _end;
                return rest;
            }

            _end += read;
        }
    }
}
