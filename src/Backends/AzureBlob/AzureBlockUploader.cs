using System.Buffers;
using System.Security.Cryptography;
using Azure.Storage.Blobs.Specialized;
using VfsGateway.Vfs;

namespace VfsGateway.Backends.AzureBlob;

/// <summary>
/// Streams content into staged blocks of one blob: reads chunk by chunk into pooled buffers,
/// hashes in the same pass, and keeps at most <c>concurrency</c> Put Block requests in flight, so
/// memory stays below chunk size × (concurrency + 1) whatever the length, known or not. The last
/// chunk is held back until the end of the content is known, so its block id can say so (and carry
/// the MD5 of a multipart part). Nothing it stages is visible before the caller commits.
/// </summary>
internal sealed class AzureBlockUploader(BlockBlobClient blob, int chunkSize, int concurrency) : IDisposable
{
    private readonly List<Task> _inflight = [];
    private readonly List<string> _ids = [];
    private readonly SemaphoreSlim _slots = new(concurrency);
    private CancellationTokenSource? _abort;

    /// <summary>The staged block ids in content order (for Put Block List).</summary>
    public IReadOnlyList<string> BlockIds => _ids;

    /// <summary>Bytes read from the content.</summary>
    public long Length { get; private set; }

    /// <summary>The MD5 of everything read.</summary>
    public byte[] Md5 { get; private set; } = [];

    /// <summary>
    /// Reads the first chunk (up to <paramref name="firstChunkSize"/> bytes) into a rented buffer the
    /// caller returns with <see cref="Return"/>; when the content ends within it, the caller may send it
    /// in one request instead of staging blocks.
    /// </summary>
    public async ValueTask<(byte[] Buffer, int Count, bool Ended)> ReadFirstAsync(Stream content, long? length, int firstChunkSize, IncrementalHash md5, CancellationToken cancellationToken)
    {
        var want = (int)Math.Min(firstChunkSize, length ?? long.MaxValue);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(want, 1));
        try
        {
            var n = await FillAsync(content, buffer.AsMemory(0, want), cancellationToken).ConfigureAwait(false);
            md5.AppendData(buffer, 0, n);
            Length = n;
            var ended = length is { } l ? n >= l || n < want : n < want;
            return (buffer, n, ended);
        }
        catch
        {
            Return(buffer);
            throw;
        }
    }

    /// <summary>
    /// Stages <paramref name="first"/> and the rest of <paramref name="content"/> as blocks named by
    /// <paramref name="idOf"/> (index, is-last, MD5 of everything so far when last). Takes ownership of
    /// the first buffer. A short stream is <see cref="VfsErrorKind.Invalid"/>; a failing stream's
    /// exception propagates unchanged; either way the blocks staged so far stay uncommitted.
    /// </summary>
    public async ValueTask StageAllAsync(
        Stream content, long? length, (byte[] Buffer, int Count, bool Ended) first, IncrementalHash md5,
        Func<int, bool, byte[]?, string> idOf, CancellationToken cancellationToken)
    {
        _abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pending = first;
        var ended = first.Ended;
        try
        {
            while (!ended)
            {
                var want = (int)Math.Min(chunkSize, length is { } l ? l - Length : long.MaxValue);
                var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(want, 1));
                int n;
                try
                {
                    n = want == 0 ? 0 : await FillAsync(content, buffer.AsMemory(0, want), _abort.Token).ConfigureAwait(false);
                }
                catch
                {
                    Return(buffer);
                    throw;
                }

                if (n == 0)
                {
                    Return(buffer);
                    break;
                }

                md5.AppendData(buffer, 0, n);
                Length += n;
                var full = pending;
                pending = (buffer, n, false);
                await DispatchAsync(full.Buffer, full.Count, idOf(_ids.Count, false, null)).ConfigureAwait(false);
                ended = n < want || (length is { } l2 && Length >= l2);
            }

            if (length is { } expected && Length < expected)
            {
                throw new VfsException(VfsErrorKind.Invalid, $"content ended after {Length} of {expected} bytes");
            }

            Md5 = md5.GetHashAndReset();
            var last = pending;
            pending = default;
            await DispatchAsync(last.Buffer, last.Count, idOf(_ids.Count, true, Md5)).ConfigureAwait(false);
            await Task.WhenAll(_inflight).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            if (pending.Buffer is not null)
            {
                Return(pending.Buffer);
            }

            await _abort.CancelAsync().ConfigureAwait(false);
            var staging = await DrainAsync().ConfigureAwait(false);

            // A staging failure is translated; the content's own failure propagates unchanged.
            if (e is StagingFailedException failed)
            {
                throw AzureBlobErrors.Map(failed.InnerException!, blob.Name);
            }

            if (e is OperationCanceledException && staging is not null && !cancellationToken.IsCancellationRequested)
            {
                throw AzureBlobErrors.Map(staging, blob.Name);
            }

            throw;
        }
    }

    public void Dispose()
    {
        _abort?.Dispose();
        _slots.Dispose();
    }

    public static void Return(byte[] buffer) => ArrayPool<byte>.Shared.Return(buffer);

    /// <summary>Reads until <paramref name="buffer"/> is full or the content ends; returns the count.</summary>
    public static async ValueTask<int> FillAsync(Stream content, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = await content.ReadAsync(buffer[total..], cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }

    /// <summary>Waits for a free slot and starts one Put Block; the buffer goes back to the pool when it is done.</summary>
    private async ValueTask DispatchAsync(byte[] buffer, int count, string id)
    {
        _ids.Add(id);
        try
        {
            await _slots.WaitAsync(_abort!.Token).ConfigureAwait(false);
        }
        catch
        {
            Return(buffer);
            throw;
        }

        // A failed block fails the whole upload at once instead of after the remaining content.
        _inflight.Add(StageAsync(buffer, count, id));
        var failed = _inflight.FirstOrDefault(t => t.IsFaulted);
        if (failed is not null)
        {
            await failed.ConfigureAwait(false);
        }
    }

    private async Task StageAsync(byte[] buffer, int count, string id)
    {
        try
        {
            using var body = BinaryData.FromBytes(buffer.AsMemory(0, count)).ToStream();
            await blob.StageBlockAsync(id, body, options: null, _abort!.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (!_abort!.IsCancellationRequested)
        {
            await _abort.CancelAsync().ConfigureAwait(false);
            throw new StagingFailedException(e);
        }
        finally
        {
            Return(buffer);
            _slots.Release();
        }
    }

    /// <summary>Waits for every request in flight; returns the first staging failure, if any.</summary>
    private async ValueTask<Exception?> DrainAsync()
    {
        Exception? first = null;
        foreach (var task in _inflight)
        {
            try
            {
                await task.ConfigureAwait(false);
            }
            catch (StagingFailedException e) when (first is null)
            {
                first = e.InnerException;
            }
            catch (Exception)
            {
                // cancelled after another failure
            }
        }

        return first;
    }

    /// <summary>Marks a Put Block failure so that it is told apart from the content stream's own.</summary>
    private sealed class StagingFailedException(Exception inner) : Exception("staging a block failed", inner);
}
