using System.Buffers;
using System.Security.Cryptography;

namespace VfsGateway.Vfs;

/// <summary>
/// Copies a stream with a buffer rented from the shared pool (YARP's StreamCopier), optionally
/// feeding a hash in the same pass. Never buffers a payload.
/// </summary>
public static class StreamCopier
{
    public const int DefaultBufferSize = 128 * 1024;

    /// <summary>Copies to the end of <paramref name="source"/> (or exactly <paramref name="length"/> bytes) and returns the count.</summary>
    /// <exception cref="VfsException">Invalid when the source ends before <paramref name="length"/> bytes.</exception>
    public static async ValueTask<long> CopyAsync(
        Stream source,
        Stream destination,
        long? length,
        IncrementalHash? hash,
        CancellationToken cancellationToken,
        int bufferSize = DefaultBufferSize)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
        try
        {
            long total = 0;
            while (true)
            {
                var want = buffer.Length;
                if (length is { } l)
                {
                    var left = l - total;
                    if (left <= 0)
                    {
                        break;
                    }

                    want = (int)Math.Min(want, left);
                }

                var read = await source.ReadAsync(buffer.AsMemory(0, want), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                hash?.AppendData(buffer, 0, read);
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                total += read;
            }

            if (length is { } expected && total < expected)
            {
                throw new VfsException(VfsErrorKind.Invalid, $"content ended after {total} of {expected} bytes");
            }

            return total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
