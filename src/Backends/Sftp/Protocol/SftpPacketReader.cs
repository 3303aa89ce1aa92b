using System.Buffers.Binary;
using System.Text;

namespace VfsGateway.Backends.Sftp.Protocol;

/// <summary>Parses the body of a reply; running past the end is a protocol error, never a silent zero.</summary>
internal ref struct SftpPacketReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public SftpPacketReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    public readonly int Remaining => _data.Length - _position;

    public byte ReadByte()
    {
        Need(1);
        return _data[_position++];
    }

    public uint ReadUInt32()
    {
        Need(4);
        var value = BinaryPrimitives.ReadUInt32BigEndian(_data[_position..]);
        _position += 4;
        return value;
    }

    public ulong ReadUInt64()
    {
        Need(8);
        var value = BinaryPrimitives.ReadUInt64BigEndian(_data[_position..]);
        _position += 8;
        return value;
    }

    public ReadOnlySpan<byte> ReadBytes()
    {
        var length = ReadUInt32();
        if (length > (uint)Remaining)
        {
            throw new SftpProtocolException($"string of {length} bytes overruns the packet ({Remaining} left)");
        }

        var value = _data.Slice(_position, (int)length);
        _position += (int)length;
        return value;
    }

    public string ReadString() => Encoding.UTF8.GetString(ReadBytes());

    public SftpAttributes ReadAttributes()
    {
        var flags = (SftpAttributeFlags)ReadUInt32();
        ulong size = 0;
        uint uid = 0, gid = 0, permissions = 0, atime = 0, mtime = 0;
        if ((flags & SftpAttributeFlags.Size) != 0)
        {
            size = ReadUInt64();
        }

        if ((flags & SftpAttributeFlags.UidGid) != 0)
        {
            uid = ReadUInt32();
            gid = ReadUInt32();
        }

        if ((flags & SftpAttributeFlags.Permissions) != 0)
        {
            permissions = ReadUInt32();
        }

        if ((flags & SftpAttributeFlags.AccessModTime) != 0)
        {
            atime = ReadUInt32();
            mtime = ReadUInt32();
        }

        if ((flags & SftpAttributeFlags.Extended) != 0)
        {
            var count = ReadUInt32();
            for (var i = 0u; i < count; i++)
            {
                ReadBytes();
                ReadBytes();
            }
        }

        return new SftpAttributes(flags, size, uid, gid, permissions, atime, mtime);
    }

    /// <summary>The body of SSH_FXP_STATUS after the id: code, message and (optional in old servers) language tag.</summary>
    public (SftpStatusCode Code, string Message) ReadStatus()
    {
        var code = (SftpStatusCode)ReadUInt32();

        // Some v3 servers omit the message and language fields entirely.
        var message = Remaining >= 4 ? ReadString() : string.Empty;
        return (code, message);
    }

    private readonly void Need(int count)
    {
        if (count > Remaining)
        {
            throw new SftpProtocolException($"packet truncated: needed {count} more bytes, {Remaining} left");
        }
    }
}
