using System.Buffers;

namespace VfsGateway.Backends.Sftp.Protocol;

/// <summary>
/// One reply: its type, and either the count of DATA bytes already copied into the request's
/// destination, or the body after the id in a pooled buffer that <see cref="Release"/> returns.
/// </summary>
internal readonly struct SftpResponse
{
    private readonly byte[]? _buffer;
    private readonly int _length;

    public SftpResponse(SftpPacketType type, byte[]? buffer, int length, int dataCount)
    {
        Type = type;
        _buffer = buffer;
        _length = length;
        DataCount = dataCount;
    }

    public SftpPacketType Type { get; }

    /// <summary>For a DATA reply to a read with a destination: the bytes delivered into it.</summary>
    public int DataCount { get; }

    public SftpPacketReader Reader => new(_buffer is null ? [] : _buffer.AsSpan(0, _length));

    public void Release()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }
    }
}
