using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace VfsGateway.Backends.Sftp.Protocol;

/// <summary>
/// Builds one request packet (uint32 length, byte type, uint32 id, body) in a pooled buffer that
/// is reused across requests. A WRITE's data is not copied here: <see cref="Finish"/> accounts for
/// it as a trailer that the outbox appends from the caller's buffer.
/// </summary>
internal sealed class SftpPacketWriter : IDisposable
{
    private byte[] _buffer;
    private int _position;

    public SftpPacketWriter(int initialSize = 256)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(initialSize);
    }

    public int Position => _position;

    public void Start(SftpPacketType type, uint id)
    {
        _position = 4;
        WriteByte((byte)type);
        WriteUInt32(id);
    }

    /// <summary>SSH_FXP_INIT carries the version where other packets carry a request id.</summary>
    public void StartInit(uint version)
    {
        _position = 4;
        WriteByte((byte)SftpPacketType.Init);
        WriteUInt32(version);
    }

    public void WriteByte(byte value)
    {
        Ensure(1);
        _buffer[_position++] = value;
    }

    public void WriteUInt32(uint value)
    {
        Ensure(4);
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(_position), value);
        _position += 4;
    }

    public void WriteUInt64(ulong value)
    {
        Ensure(8);
        BinaryPrimitives.WriteUInt64BigEndian(_buffer.AsSpan(_position), value);
        _position += 8;
    }

    /// <summary>An SSH string in UTF-8 (v3 leaves the encoding to the server; OpenSSH passes bytes through).</summary>
    public void WriteString(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        Ensure(4 + length);
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(_position), (uint)length);
        _position += 4;
        _position += Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_position));
    }

    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        Ensure(4 + value.Length);
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(_position), (uint)value.Length);
        _position += 4;
        value.CopyTo(_buffer.AsSpan(_position));
        _position += value.Length;
    }

    public void WriteAttributes(in SftpAttributes attributes)
    {
        // Extended attributes are never sent: the gateway only sets size, permissions and times.
        var flags = attributes.Flags & ~SftpAttributeFlags.Extended;
        WriteUInt32((uint)flags);
        if ((flags & SftpAttributeFlags.Size) != 0)
        {
            WriteUInt64(attributes.Size);
        }

        if ((flags & SftpAttributeFlags.UidGid) != 0)
        {
            WriteUInt32(attributes.Uid);
            WriteUInt32(attributes.Gid);
        }

        if ((flags & SftpAttributeFlags.Permissions) != 0)
        {
            WriteUInt32(attributes.Permissions);
        }

        if ((flags & SftpAttributeFlags.AccessModTime) != 0)
        {
            WriteUInt32(attributes.ATime);
            WriteUInt32(attributes.MTime);
        }
    }

    /// <summary>Writes the length prefix and returns the packet bytes (without a trailer of <paramref name="trailerLength"/> bytes sent separately).</summary>
    public ReadOnlyMemory<byte> Finish(int trailerLength = 0)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_buffer, (uint)(_position - 4 + trailerLength));
        return _buffer.AsMemory(0, _position);
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Ensure(int count)
    {
        if (_position + count <= _buffer.Length)
        {
            return;
        }

        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _position + count));
        _buffer.AsSpan(0, _position).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }
}
