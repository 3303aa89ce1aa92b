using VfsGateway.Frontends.Http;
using VfsGateway.Vfs;

namespace VfsGateway.UnitTests.Frontends.Http;

public sealed class VerifiedBodyStreamTests
{
    private static readonly byte[] Data = [.. Enumerable.Range(0, 100).Select(i => (byte)i)];

    [Fact]
    public async Task ReadAsync_ExactLength_VerifiesBeforeTheLastByteIsHandedOut()
    {
        var inner = new Trickle(Data, chunk: 7);
        var body = new Checked(inner, Data.Length);

        var buffer = new byte[Data.Length];
        var read = await body.ReadAsync(buffer);

        // One call fills the buffer from short inner reads, and the consumer, which stops at the
        // declared length and never asks for the end, already has a verified body.
        Assert.Equal(Data.Length, read);
        Assert.Equal(Data, buffer);
        Assert.Equal(1, body.Verifications);
        Assert.Equal(Data, body.Appended.ToArray());
        Assert.True(inner.SawEnd);
        Assert.Equal(Data.Length, body.BytesRead);
    }

    [Fact]
    public async Task ReadAsync_VerificationFails_TheReadDeliveringTheLastByteThrows()
    {
        var body = new Checked(new Trickle(Data, chunk: 64), Data.Length) { Failure = new InvalidDataException("bad digest") };
        var buffer = new byte[64];

        Assert.Equal(64, await body.ReadAsync(buffer));
        Assert.Equal(0, body.Verifications);
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => body.ReadAsync(buffer).AsTask());
        Assert.Equal("bad digest", e.Message);

        // A consumer that reads on still sees the failure, never a clean end.
        await Assert.ThrowsAsync<InvalidDataException>(() => body.ReadAsync(buffer).AsTask());
        await Assert.ThrowsAsync<InvalidDataException>(async () => await body.DrainAsync(CancellationToken.None));
        Assert.Equal(1, body.Verifications);
    }

    [Fact]
    public async Task DrainAsync_AfterTheEnd_VerifiesOnce()
    {
        var body = new Checked(new Trickle(Data, chunk: 10), Data.Length);

        await body.DrainAsync(CancellationToken.None);
        await body.DrainAsync(CancellationToken.None);

        Assert.Equal(0, await body.ReadAsync(new byte[10]));
        Assert.Equal(1, body.Verifications);
        Assert.Equal(Data.Length, body.BytesRead);
    }

    [Fact]
    public async Task ReadAsync_BodyShorterThanDeclared_TooShortAndNoVerification()
    {
        var body = new Checked(new Trickle(Data[..60], chunk: 25), Data.Length);

        var e = await Assert.ThrowsAsync<InvalidOperationException>(async () => await body.DrainAsync(CancellationToken.None));

        Assert.Equal("short: 60 of 100", e.Message);
        Assert.Equal(0, body.Verifications);
    }

    [Fact]
    public async Task ReadAsync_BodyLongerThanDeclared_TheReadReachingTheLengthThrows()
    {
        var body = new Checked(new Trickle(Data, chunk: 100), 40);

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => body.ReadAsync(new byte[40]).AsTask());

        Assert.Equal("long: 40", e.Message);
        Assert.Equal(0, body.Verifications);
    }

    [Fact]
    public async Task ReadAsync_UnknownLength_VerifiesAtTheEnd()
    {
        var body = new Checked(new Trickle(Data, chunk: 30), null);
        var buffer = new byte[64];

        Assert.Equal(64, await body.ReadAsync(buffer));
        Assert.Equal(36, await body.ReadAsync(buffer));
        Assert.Equal(0, body.Verifications);
        Assert.Equal(0, await body.ReadAsync(buffer));

        Assert.Equal(1, body.Verifications);
        Assert.Equal(Data, body.Appended.ToArray());
    }

    [Fact]
    public async Task ReadAsync_DeclaredEmpty_VerifiesOnTheFirstRead()
    {
        var body = new Checked(new Trickle([], chunk: 1), 0);

        Assert.Equal(0, await body.ReadAsync(new byte[8]));

        Assert.Equal(1, body.Verifications);
    }

    [Fact]
    public async Task ReadAsync_AppendRefuses_TheChunkIsNotHandedOut()
    {
        var body = new Checked(new Trickle(Data, chunk: 100), Data.Length) { Limit = 50 };

        await Assert.ThrowsAsync<InvalidOperationException>(() => body.ReadAsync(new byte[64]).AsTask());

        Assert.Equal(0, body.BytesRead);
        Assert.Equal(0, body.Verifications);
    }

    [Fact]
    public async Task ReadAsync_BodyReadFails_TheSubclassErrorOrTheOriginal()
    {
        var reset = new IOException("connection reset");
        var mapped = new Checked(new Trickle(Data[..10], chunk: 10, reset), Data.Length) { MapReadFailures = true };
        var passed = new Checked(new Trickle(Data[..10], chunk: 10, reset), Data.Length);

        var e = await Assert.ThrowsAsync<InvalidOperationException>(async () => await mapped.DrainAsync(CancellationToken.None));
        Assert.Same(reset, e.InnerException);
        Assert.Same(reset, await Assert.ThrowsAsync<IOException>(async () => await passed.DrainAsync(CancellationToken.None)));
    }

    [Fact]
    public async Task Read_Synchronous_SameChecks()
    {
        var body = new Checked(new Trickle(Data, chunk: 9), Data.Length);
        var buffer = new byte[Data.Length];

        Assert.Equal(Data.Length, body.Read(buffer, 0, buffer.Length));

        Assert.Equal(1, body.Verifications);
        Assert.Equal(Data.Length, body.Position);
    }

    /// <summary>Records what the base asks of a subclass; its errors carry their arguments in the message.</summary>
    private sealed class Checked(Stream inner, long? length) : VerifiedBodyStream(inner, length)
    {
        public List<byte> Appended { get; } = [];

        public int Verifications { get; private set; }

        public Exception? Failure { get; init; }

        public long Limit { get; init; } = long.MaxValue;

        public bool MapReadFailures { get; init; }

        protected override void Append(ReadOnlySpan<byte> data)
        {
            if (BytesRead + data.Length > Limit)
            {
                throw new InvalidOperationException("too large");
            }

            Appended.AddRange(data);
        }

        protected override void Verify()
        {
            Verifications++;
            if (Failure is not null)
            {
                throw Failure;
            }
        }

        protected override Exception TooShort(long read, long declared) => new InvalidOperationException($"short: {read} of {declared}");

        protected override Exception TooLong(long declared) => new InvalidOperationException($"long: {declared}");

        protected override Exception? ReadFailed(IOException e) => MapReadFailures ? new InvalidOperationException("read failed", e) : null;
    }

    /// <summary>Hands out at most <c>chunk</c> bytes per read (as Kestrel hands out what arrived), then ends or fails.</summary>
    private sealed class Trickle(byte[] data, int chunk, Exception? failure = null) : ReadOnlyStream
    {
        private int _position;

        public bool SawEnd { get; private set; }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_position == data.Length)
            {
                SawEnd = true;
                return failure is null ? ValueTask.FromResult(0) : ValueTask.FromException<int>(failure);
            }

            var n = Math.Min(Math.Min(buffer.Length, chunk), data.Length - _position);
            data.AsSpan(_position, n).CopyTo(buffer.Span);
            _position += n;
            return ValueTask.FromResult(n);
        }
    }
}
