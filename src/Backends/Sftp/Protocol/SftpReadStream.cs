using VfsGateway.Vfs;
using System.Buffers;
using System.Runtime.CompilerServices;

namespace VfsGateway.Backends.Sftp.Protocol;

/// <summary>
/// Reads a byte range of an open remote file with many READ requests in flight, like OpenSSH's
/// sftp client: slot i of a ring of chunk-sized slots (one pooled buffer) receives the reply to
/// one request straight from the reader thread, and slots are handed out in file order. A reply
/// shorter than asked is not EOF (servers cap reads, e.g. OpenSSH at 255 KiB): the rest of that
/// slot is requested again before it is consumed. Only SSH_FX_EOF ends the stream early.
/// </summary>
internal sealed class SftpReadStream : ReadOnlyStream
{
    private const int InitialWindow = 4;

    private readonly SftpSession _session;
    private readonly SftpHandle _handle;
    private readonly Func<SftpStatusException, Exception> _mapError;
    private readonly IDisposable? _lease;
    private readonly int _chunk;
    private readonly Slot[] _slots;
    private readonly byte[] _buffer;
    private readonly long _end;
    private long _nextOffset;
    private int _head;
    private int _inFlight;
    private int _window;
    private int _consumed;
    private bool _eof;
    private bool _disposed;

    /// <param name="session">The session the handle belongs to.</param>
    /// <param name="handle">An open file handle; closed on dispose.</param>
    /// <param name="offset">The first byte to read.</param>
    /// <param name="count">How many bytes to read (the caller clamped it to the size).</param>
    /// <param name="chunkSize">Bytes per READ request.</param>
    /// <param name="concurrency">The most READ requests in flight.</param>
    /// <param name="mapError">Turns a server status into the exception the caller sees.</param>
    /// <param name="lease">Released on dispose (the pool's load accounting).</param>
    public SftpReadStream(
        SftpSession session,
        SftpHandle handle,
        long offset,
        long count,
        int chunkSize,
        int concurrency,
        Func<SftpStatusException, Exception> mapError,
        IDisposable? lease)
    {
        _session = session;
        _handle = handle;
        _mapError = mapError;
        _lease = lease;
        _nextOffset = offset;
        _end = offset + count;

        // A small range needs neither many slots nor a full-size buffer.
        _chunk = (int)Math.Clamp(count, 1, chunkSize);
        var slots = (int)Math.Clamp((count + _chunk - 1) / _chunk, 1, concurrency);
        _slots = new Slot[slots];
        _buffer = ArrayPool<byte>.Shared.Rent(slots * _chunk);
        _window = Math.Min(InitialWindow, slots);
    }

    public override bool CanRead => !_disposed;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count), CancellationToken.None).AsTask().GetAwaiter().GetResult();

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (destination.IsEmpty || _eof || (_inFlight == 0 && _nextOffset >= _end))
        {
            return 0;
        }

        try
        {
            await IssueAsync(cancellationToken).ConfigureAwait(false);
            if (!_slots[_head].Ready)
            {
                await FillHeadAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (SftpStatusException e)
        {
            throw _mapError(e);
        }

        ref var slot = ref _slots[_head];
        var available = slot.Filled - _consumed;
        var n = Math.Min(available, destination.Length);
        _buffer.AsSpan((_head * _chunk) + _consumed, n).CopyTo(destination.Span);
        _consumed += n;
        if (_consumed == slot.Filled)
        {
            if (slot.Filled < slot.Length)
            {
                // SSH_FX_EOF inside the range: the file shrank since it was opened.
                _eof = true;
            }

            slot = default;
            _head = (_head + 1) % _slots.Length;
            _inFlight--;
            _consumed = 0;
            _window = Math.Min(_window * 2, _slots.Length);
        }

        return n;
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        if (Release())
        {
            await CloseQuietlyAsync().ConfigureAwait(false);
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && Release())
        {
            // Synchronous dispose: queue the CLOSE and do not wait for its reply.
            _ = CloseQuietlyAsync();
        }

        base.Dispose(disposing);
    }

    /// <summary>
    /// Queues the CLOSE without waiting for its reply: nothing read depends on it, and a stalled
    /// server must not hang the caller's dispose.
    /// </summary>
    private async Task CloseQuietlyAsync()
    {
        try
        {
            await _session.SendCloseAsync(_handle, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Vfs.VfsException)
        {
            // The handle dies with its connection anyway; a failed close loses nothing that was read.
        }
    }

    /// <summary>Issues READs up to the window in file order.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask IssueAsync(CancellationToken cancellationToken)
    {
        while (_inFlight < _window && _nextOffset < _end)
        {
            var index = (_head + _inFlight) % _slots.Length;
            var length = (int)Math.Min(_chunk, _end - _nextOffset);
            _slots[index] = new Slot { Offset = _nextOffset, Length = length };
            _slots[index].Request = await _session.SendReadAsync(
                _handle, _nextOffset, _buffer.AsMemory(index * _chunk, length), cancellationToken).ConfigureAwait(false);
            _nextOffset += length;
            _inFlight++;
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask FillHeadAsync(CancellationToken cancellationToken)
    {
        var index = _head;
        while (true)
        {
            // Forget the request before awaiting: once its reply is consumed it is recycled.
            var request = _slots[index].Request!;
            _slots[index].Request = null;
            var count = await _session.CompleteReadAsync(request).ConfigureAwait(false);
            if (count == 0)
            {
                break;
            }

            _slots[index].Filled += count;
            var filled = _slots[index].Filled;
            var length = _slots[index].Length;
            if (filled >= length)
            {
                break;
            }

            // Short read: ask for the rest of this slot before anything later is consumed.
            _slots[index].Request = await _session.SendReadAsync(
                _handle,
                _slots[index].Offset + filled,
                _buffer.AsMemory((index * _chunk) + filled, length - filled),
                cancellationToken).ConfigureAwait(false);
        }

        _slots[index].Ready = true;
        if (_slots[index].Filled == 0)
        {
            _eof = true;
        }
    }

    /// <summary>Abandons outstanding reads and returns the buffer; false when already disposed.</summary>
    private bool Release()
    {
        if (_disposed)
        {
            return false;
        }

        _disposed = true;
        var bufferIsFree = true;
        foreach (ref var slot in _slots.AsSpan())
        {
            if (slot.Request is { } request && !request.TryAbandon())
            {
                // The reader thread is copying into this slot right now; it finishes in microseconds
                // unless the connection stalls mid-packet, in which case the buffer is left to the GC.
                bufferIsFree &= SpinWait.SpinUntil(() => request.IsSettled, TimeSpan.FromSeconds(5));
            }

            slot = default;
        }

        if (bufferIsFree)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _lease?.Dispose();
        return true;
    }

    private struct Slot
    {
        public long Offset;
        public int Length;
        public int Filled;
        public SftpRequest? Request;
        public bool Ready;
    }
}
