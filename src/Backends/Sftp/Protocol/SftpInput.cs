using System.Buffers.Binary;

namespace VfsGateway.Backends.Sftp.Protocol;

/// <summary>
/// Buffered blocking reads from the ssh process's stdout, used only by the session's reader
/// thread. Large reads bypass the buffer and land straight in the caller's destination, so a
/// DATA payload is copied at most once.
/// </summary>
internal sealed class SftpInput(Stream stream, int bufferSize)
{
    private readonly byte[] _buffer = new byte[bufferSize];
    private int _start;
    private int _end;

    /// <summary>Fills <paramref name="destination"/>; false on a clean end of stream before the first byte.</summary>
    public bool TryReadExactly(Span<byte> destination)
    {
        if (destination.IsEmpty)
        {
            return true;
        }

        if (_start == _end && !Fill())
        {
            return false;
        }

        ReadExactly(destination);
        return true;
    }

    public void ReadExactly(Span<byte> destination)
    {
        while (!destination.IsEmpty)
        {
            var buffered = _end - _start;
            if (buffered > 0)
            {
                var n = Math.Min(buffered, destination.Length);
                _buffer.AsSpan(_start, n).CopyTo(destination);
                _start += n;
                destination = destination[n..];
                continue;
            }

            if (destination.Length >= _buffer.Length / 2)
            {
                var read = stream.Read(destination);
                if (read == 0)
                {
                    throw new EndOfStreamException("the sftp server closed the stream in the middle of a packet");
                }

                destination = destination[read..];
                continue;
            }

            if (!Fill())
            {
                throw new EndOfStreamException("the sftp server closed the stream in the middle of a packet");
            }
        }
    }

    public uint ReadUInt32()
    {
        Span<byte> bytes = stackalloc byte[4];
        ReadExactly(bytes);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    public void Skip(long count)
    {
        while (count > 0)
        {
            if (_start == _end && !Fill())
            {
                throw new EndOfStreamException("the sftp server closed the stream in the middle of a packet");
            }

            var n = (int)Math.Min(count, _end - _start);
            _start += n;
            count -= n;
        }
    }

    private bool Fill()
    {
        _start = 0;
        _end = stream.Read(_buffer, 0, _buffer.Length);
        return _end > 0;
    }
}
