using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Text;
using VfsGateway.Backends.Sftp.Protocol;

namespace VfsGateway.UnitTests.Backends.Sftp.Protocol;

/// <summary>
/// The server end of an in-memory duplex stream pair: tests receive the client's packets one by
/// one and answer with hand-built replies, in any order, short, wrong or not at all.
/// </summary>
internal sealed class FakeSftpServer : IAsyncDisposable
{
    private readonly Pipe _toClient = new(new PipeOptions(pauseWriterThreshold: 0));
    private readonly Pipe _toServer = new(new PipeOptions(pauseWriterThreshold: 0));
    private readonly Stream _toClientStream;

    public FakeSftpServer()
    {
        ClientInput = _toClient.Reader.AsStream();
        ClientOutput = _toServer.Writer.AsStream();
        _toClientStream = _toClient.Writer.AsStream();
    }

    /// <summary>What the session reads (the server's replies).</summary>
    public Stream ClientInput { get; }

    /// <summary>Where the session writes its requests.</summary>
    public Stream ClientOutput { get; }

    /// <summary>A session over this server, started (INIT/VERSION done) with the given extensions.</summary>
    public static async Task<(FakeSftpServer Server, SftpSession Session)> StartAsync(params (string Name, string Data)[] extensions)
    {
        var server = new FakeSftpServer();
        var session = new SftpSession(server.ClientInput, server.ClientOutput, "test@fake");
        var start = session.StartAsync(CancellationToken.None);
        var init = await server.ReceiveRawAsync();
        Assert.Equal((byte)SftpPacketType.Init, init[0]);
        Assert.Equal(3u, BinaryPrimitives.ReadUInt32BigEndian(init.AsSpan(1)));
        await server.SendVersionAsync(3, extensions);
        if (extensions.Any(e => e.Name == SftpExtensionNames.Limits))
        {
            var limits = await server.ReceiveAsync();
            Assert.Equal(SftpExtensionNames.Limits, limits.Body.ReadString());
            await server.SendAsync(SftpPacketType.ExtendedReply, limits.Id, w => w.U64(256 * 1024).U64(255 * 1024).U64(255 * 1024).U64(0));
        }

        await start.WaitAsync(TimeSpan.FromSeconds(10));
        return (server, session);
    }

    /// <summary>The next request from the client.</summary>
    public async Task<FakeRequest> ReceiveAsync() =>
        await TryReceiveAsync(TimeSpan.FromSeconds(10)) ?? throw new TimeoutException("no request from the client");

    /// <summary>The next request, or null when none arrives within <paramref name="timeout"/>.</summary>
    public async Task<FakeRequest?> TryReceiveAsync(TimeSpan timeout)
    {
        var raw = await TryReceiveRawAsync(timeout);
        if (raw is null)
        {
            return null;
        }

        var type = (SftpPacketType)raw[0];
        var id = BinaryPrimitives.ReadUInt32BigEndian(raw.AsSpan(1));
        return new FakeRequest(type, id, new BodyReader(raw[5..]));
    }

    /// <summary>A packet without its length prefix.</summary>
    public async Task<byte[]> ReceiveRawAsync() =>
        await TryReceiveRawAsync(TimeSpan.FromSeconds(10)) ?? throw new TimeoutException("no packet from the client");

    /// <summary>True when the client closed its request stream (after the session was disposed).</summary>
    public async Task<bool> ClientClosedAsync()
    {
        try
        {
            await TryReceiveRawAsync(TimeSpan.FromSeconds(10));
            return false;
        }
        catch (EndOfStreamException)
        {
            return true;
        }
    }

    /// <summary>Reads whole packets straight from the pipe, so a timeout never leaves half a packet consumed.</summary>
    private async Task<byte[]?> TryReceiveRawAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var reader = _toServer.Reader;
        var header = new byte[4];
        while (true)
        {
            ReadResult result;
            try
            {
                result = await reader.ReadAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                return null;
            }

            var buffer = result.Buffer;
            if (buffer.Length >= 4)
            {
                buffer.Slice(0, 4).CopyTo(header);
                var length = BinaryPrimitives.ReadUInt32BigEndian(header);
                if (buffer.Length >= 4 + length)
                {
                    var packet = buffer.Slice(4, length).ToArray();
                    reader.AdvanceTo(buffer.GetPosition(4 + length));
                    return packet;
                }
            }

            if (result.IsCompleted)
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                throw new EndOfStreamException("the client closed its request stream");
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    public Task SendVersionAsync(uint version, params (string Name, string Data)[] extensions)
    {
        var w = new PacketBuilder().Byte((byte)SftpPacketType.Version).U32(version);
        foreach (var (name, data) in extensions)
        {
            w.Str(name).Str(data);
        }

        return SendRawAsync(w.Build());
    }

    public Task SendAsync(SftpPacketType type, uint id, Action<PacketBuilder> body)
    {
        var w = new PacketBuilder().Byte((byte)type).U32(id);
        body(w);
        return SendRawAsync(w.Build());
    }

    public Task SendStatusAsync(uint id, SftpStatusCode code, string message = "") =>
        SendAsync(SftpPacketType.Status, id, w => w.U32((uint)code).Str(message).Str("en"));

    public Task SendDataAsync(uint id, ReadOnlySpan<byte> data)
    {
        var copy = data.ToArray();
        return SendAsync(SftpPacketType.Data, id, w => w.Bytes(copy));
    }

    public Task SendHandleAsync(uint id, string handle) => SendAsync(SftpPacketType.Handle, id, w => w.Str(handle));

    /// <summary>Writes raw bytes (a packet with its length prefix, or a deliberately broken one).</summary>
    public async Task SendRawAsync(byte[] bytes)
    {
        await _toClientStream.WriteAsync(bytes);
        await _toClientStream.FlushAsync();
    }

    /// <summary>The server hangs up: the client sees the end of its input.</summary>
    public async Task CloseAsync() => await _toClient.Writer.CompleteAsync();

    public async ValueTask DisposeAsync()
    {
        await _toClient.Writer.CompleteAsync();
        await _toServer.Reader.CompleteAsync();
    }

    /// <summary>One request: type, id and a reader over the rest of the body.</summary>
    internal sealed record FakeRequest(SftpPacketType Type, uint Id, BodyReader Body);

    /// <summary>Reads a request body (big-endian SSH types).</summary>
    internal sealed class BodyReader(byte[] data)
    {
        private int _position;

        public int Remaining => data.Length - _position;

        public uint U32()
        {
            var v = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(_position));
            _position += 4;
            return v;
        }

        public ulong U64()
        {
            var v = BinaryPrimitives.ReadUInt64BigEndian(data.AsSpan(_position));
            _position += 8;
            return v;
        }

        public byte[] ReadBytes()
        {
            var length = (int)U32();
            var v = data.AsSpan(_position, length).ToArray();
            _position += length;
            return v;
        }

        public string ReadString() => Encoding.UTF8.GetString(ReadBytes());
    }

    /// <summary>Builds a packet and prefixes its length.</summary>
    internal sealed class PacketBuilder
    {
        private readonly List<byte> _bytes = [];

        public PacketBuilder Byte(byte value)
        {
            _bytes.Add(value);
            return this;
        }

        public PacketBuilder U32(uint value)
        {
            var b = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(b, value);
            _bytes.AddRange(b);
            return this;
        }

        public PacketBuilder U64(ulong value)
        {
            var b = new byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(b, value);
            _bytes.AddRange(b);
            return this;
        }

        public PacketBuilder Bytes(byte[] value)
        {
            U32((uint)value.Length);
            _bytes.AddRange(value);
            return this;
        }

        public PacketBuilder Str(string value) => Bytes(Encoding.UTF8.GetBytes(value));

        /// <summary>An ATTRS block with size, permissions and times.</summary>
        public PacketBuilder Attrs(ulong size, uint permissions, uint mtime) =>
            U32((uint)(SftpAttributeFlags.Size | SftpAttributeFlags.Permissions | SftpAttributeFlags.AccessModTime))
                .U64(size).U32(permissions).U32(mtime).U32(mtime);

        public byte[] Build()
        {
            var packet = new byte[4 + _bytes.Count];
            BinaryPrimitives.WriteUInt32BigEndian(packet, (uint)_bytes.Count);
            _bytes.CopyTo(packet, 4);
            return packet;
        }
    }
}
