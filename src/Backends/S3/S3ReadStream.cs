using Amazon.S3.Model;
using VfsGateway.Vfs;

namespace VfsGateway.Backends.S3;

/// <summary>A GetObject body that releases the response (and its connection) when disposed.</summary>
internal sealed class S3ReadStream(GetObjectResponse response) : ReadOnlyStream
{
    private readonly Stream _body = response.ResponseStream;

    public override long Length => response.ContentLength;

    public override int Read(byte[] buffer, int offset, int count) => _body.Read(buffer, offset, count);

    public override int Read(Span<byte> buffer) => _body.Read(buffer);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _body.ReadAsync(buffer, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _body.Dispose();
            response.Dispose();
        }

        base.Dispose(disposing);
    }
}
