using System.Runtime.CompilerServices;

namespace VfsGateway.Backends.Sftp.Protocol;

/// <summary>
/// The requests of SFTP v3 and the OpenSSH extensions. Each has a Send* half that queues it and
/// returns the in-flight request, and a Complete* half that awaits and parses its reply, so
/// callers can keep many requests in flight; the plain *Async methods do both.
/// A non-OK status surfaces as <see cref="SftpStatusException"/>.
/// </summary>
internal sealed partial class SftpSession
{
    public async ValueTask<SftpAttributes> StatAsync(string path, CancellationToken cancellationToken) =>
        await CompleteAttributesAsync(await SendPathAsync(SftpPacketType.Stat, path, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);

    public async ValueTask<SftpAttributes> LStatAsync(string path, CancellationToken cancellationToken) =>
        await CompleteAttributesAsync(await SendPathAsync(SftpPacketType.LStat, path, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);

    public async ValueTask<SftpHandle> OpenAsync(string path, SftpOpenFlags flags, CancellationToken cancellationToken) =>
        await CompleteHandleAsync(await SendOpenAsync(path, flags, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);

    public async ValueTask<SftpHandle> OpenDirAsync(string path, CancellationToken cancellationToken) =>
        await CompleteHandleAsync(await SendPathAsync(SftpPacketType.OpenDir, path, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);

    public async ValueTask CloseAsync(SftpHandle handle, CancellationToken cancellationToken) =>
        await CompleteStatusAsync(await SendHandleAsync(SftpPacketType.Close, handle, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);

    public async ValueTask<SftpAttributes> FStatAsync(SftpHandle handle, CancellationToken cancellationToken) =>
        await CompleteAttributesAsync(await SendHandleAsync(SftpPacketType.FStat, handle, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);

    public async ValueTask SetStatAsync(string path, SftpAttributes attributes, CancellationToken cancellationToken)
    {
        var request = CreateRequest(SftpPacketType.SetStat);
        request.Writer.WriteString(path);
        request.Writer.WriteAttributes(attributes);
        await CompleteStatusAsync(await SendRequestAsync(request, default, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
    }

    public async ValueTask RemoveAsync(string path, CancellationToken cancellationToken) =>
        await CompleteStatusAsync(await SendPathAsync(SftpPacketType.Remove, path, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);

    public async ValueTask MkdirAsync(string path, CancellationToken cancellationToken)
    {
        var request = CreateRequest(SftpPacketType.Mkdir);
        request.Writer.WriteString(path);
        request.Writer.WriteAttributes(SftpAttributes.Empty);
        await CompleteStatusAsync(await SendRequestAsync(request, default, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
    }

    public async ValueTask RmdirAsync(string path, CancellationToken cancellationToken) =>
        await CompleteStatusAsync(await SendPathAsync(SftpPacketType.Rmdir, path, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);

    /// <summary>Plain v3 RENAME: fails when <paramref name="to"/> exists (OpenSSH uses link(2) + unlink(2)).</summary>
    public async ValueTask RenameAsync(string from, string to, CancellationToken cancellationToken)
    {
        var request = CreateRequest(SftpPacketType.Rename);
        request.Writer.WriteString(from);
        request.Writer.WriteString(to);
        await CompleteStatusAsync(await SendRequestAsync(request, default, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
    }

    public async ValueTask<SftpRequest> SendPosixRenameAsync(string from, string to, CancellationToken cancellationToken)
    {
        var request = CreateExtended(SftpExtensionNames.PosixRename);
        request.Writer.WriteString(from);
        request.Writer.WriteString(to);
        return await SendRequestAsync(request, default, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<string> RealPathAsync(string path, CancellationToken cancellationToken)
    {
        var names = await CompleteNamesAsync(await SendPathAsync(SftpPacketType.RealPath, path, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
        return names is [var name, ..] ? name.FileName : throw ProtocolError("SSH_FXP_REALPATH answered with no name");
    }

    public async ValueTask<SftpStatVfs> StatVfsAsync(string path, CancellationToken cancellationToken)
    {
        var request = CreateExtended(SftpExtensionNames.StatVfs);
        request.Writer.WriteString(path);
        await SendAsync(request, default, cancellationToken).ConfigureAwait(false);
        var response = await request.AsValueTask().ConfigureAwait(false);
        return ParseStatVfs(response);
    }

    /// <summary>copy-data: the server copies <paramref name="length"/> bytes (0 = to the end) between two open handles.</summary>
    public async ValueTask CopyDataAsync(SftpHandle from, ulong fromOffset, ulong length, SftpHandle to, ulong toOffset, CancellationToken cancellationToken)
    {
        var request = CreateExtended(SftpExtensionNames.CopyData);
        request.Writer.WriteBytes(from.Span);
        request.Writer.WriteUInt64(fromOffset);
        request.Writer.WriteUInt64(length);
        request.Writer.WriteBytes(to.Span);
        request.Writer.WriteUInt64(toOffset);
        await CompleteStatusAsync(await SendRequestAsync(request, default, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
    }

    public ValueTask<SftpRequest> SendStatAsync(string path, CancellationToken cancellationToken) =>
        SendPathAsync(SftpPacketType.Stat, path, cancellationToken);

    public ValueTask<SftpRequest> SendOpenAsync(string path, SftpOpenFlags flags, CancellationToken cancellationToken)
    {
        var request = CreateRequest(SftpPacketType.Open);
        request.Writer.WriteString(path);
        request.Writer.WriteUInt32((uint)flags);
        request.Writer.WriteAttributes(SftpAttributes.Empty);
        return SendRequestAsync(request, default, cancellationToken);
    }

    public ValueTask<SftpRequest> SendCloseAsync(SftpHandle handle, CancellationToken cancellationToken) =>
        SendHandleAsync(SftpPacketType.Close, handle, cancellationToken);

    public ValueTask<SftpRequest> SendFStatAsync(SftpHandle handle, CancellationToken cancellationToken) =>
        SendHandleAsync(SftpPacketType.FStat, handle, cancellationToken);

    public ValueTask<SftpRequest> SendFSetStatAsync(SftpHandle handle, SftpAttributes attributes, CancellationToken cancellationToken)
    {
        var request = CreateRequest(SftpPacketType.FSetStat);
        request.Writer.WriteBytes(handle.Span);
        request.Writer.WriteAttributes(attributes);
        return SendRequestAsync(request, default, cancellationToken);
    }

    /// <summary>fsync@openssh.com: fsync(2) on the handle's file descriptor.</summary>
    public ValueTask<SftpRequest> SendFsyncAsync(SftpHandle handle, CancellationToken cancellationToken)
    {
        var request = CreateExtended(SftpExtensionNames.Fsync);
        request.Writer.WriteBytes(handle.Span);
        return SendRequestAsync(request, default, cancellationToken);
    }

    public ValueTask<SftpRequest> SendReadDirAsync(SftpHandle handle, CancellationToken cancellationToken) =>
        SendHandleAsync(SftpPacketType.ReadDir, handle, cancellationToken);

    /// <summary>SSH_FXP_READ of up to <paramref name="destination"/>.Length bytes; the reader thread copies the data straight into it.</summary>
    public ValueTask<SftpRequest> SendReadAsync(SftpHandle handle, long offset, Memory<byte> destination, CancellationToken cancellationToken)
    {
        var request = CreateRequest(SftpPacketType.Read);
        request.Writer.WriteBytes(handle.Span);
        request.Writer.WriteUInt64((ulong)offset);
        request.Writer.WriteUInt32((uint)destination.Length);
        request.Destination = destination;
        return SendRequestAsync(request, default, cancellationToken);
    }

    /// <summary>SSH_FXP_WRITE; <paramref name="data"/> is copied by the time the returned task completes.</summary>
    public ValueTask<SftpRequest> SendWriteAsync(SftpHandle handle, long offset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var request = CreateRequest(SftpPacketType.Write);
        request.Writer.WriteBytes(handle.Span);
        request.Writer.WriteUInt64((ulong)offset);
        request.Writer.WriteUInt32((uint)data.Length);
        return SendRequestAsync(request, data, cancellationToken);
    }

    /// <summary>The byte count a READ delivered; 0 at end of file. A count below the request is a short read, not EOF.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<int> CompleteReadAsync(SftpRequest request)
    {
        var response = await request.AsValueTask().ConfigureAwait(false);
        if (response.Type == SftpPacketType.Data)
        {
            return response.DataCount;
        }

        ExpectStatus(response, SftpStatusCode.Eof);
        return 0;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask CompleteStatusAsync(SftpRequest request) =>
        ExpectStatus(await request.AsValueTask().ConfigureAwait(false), SftpStatusCode.Ok);

    public async ValueTask<SftpAttributes> CompleteAttributesAsync(SftpRequest request) =>
        ParseAttributes(await request.AsValueTask().ConfigureAwait(false));

    public async ValueTask<SftpHandle> CompleteHandleAsync(SftpRequest request) =>
        ParseHandle(await request.AsValueTask().ConfigureAwait(false));

    /// <summary>The names of a READDIR or REALPATH reply; null at end of directory.</summary>
    public async ValueTask<List<SftpName>?> CompleteNamesAsync(SftpRequest request) =>
        ParseNames(await request.AsValueTask().ConfigureAwait(false));

    private async ValueTask<SftpLimits> GetLimitsAsync(CancellationToken cancellationToken)
    {
        var request = CreateExtended(SftpExtensionNames.Limits);
        await SendAsync(request, default, cancellationToken).ConfigureAwait(false);
        var response = await request.AsValueTask().ConfigureAwait(false);
        return ParseLimits(response);
    }

    private SftpRequest CreateExtended(string name)
    {
        var request = CreateRequest(SftpPacketType.Extended);
        request.Writer.WriteString(name);
        return request;
    }

    private ValueTask<SftpRequest> SendPathAsync(SftpPacketType type, string path, CancellationToken cancellationToken)
    {
        var request = CreateRequest(type);
        request.Writer.WriteString(path);
        return SendRequestAsync(request, default, cancellationToken);
    }

    private ValueTask<SftpRequest> SendHandleAsync(SftpPacketType type, SftpHandle handle, CancellationToken cancellationToken)
    {
        var request = CreateRequest(type);
        request.Writer.WriteBytes(handle.Span);
        return SendRequestAsync(request, default, cancellationToken);
    }

    private ValueTask<SftpRequest> SendRequestAsync(SftpRequest request, ReadOnlyMemory<byte> trailer, CancellationToken cancellationToken)
    {
        var sent = SendAsync(request, trailer, cancellationToken);
        return sent.IsCompletedSuccessfully ? new ValueTask<SftpRequest>(request) : AwaitSentAsync(sent, request);

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        static async ValueTask<SftpRequest> AwaitSentAsync(ValueTask sent, SftpRequest request)
        {
            await sent.ConfigureAwait(false);
            return request;
        }
    }
}
