using VfsGateway.Backends.Local;
using VfsGateway.Vfs;

namespace VfsGateway.ConformanceTests.Vfs;

/// <summary>
/// Entry point of this assembly when <see cref="KillRecoveryTests"/> runs it as a child process
/// (`dotnet VfsGateway.ConformanceTests.dll vfs-crash-child BACKEND CACHE COUNT`): it acknowledges
/// COUNT writes in mode writes with a write-back delay far in the future, starts one more write
/// that never completes, prints "ready" and waits to be killed. Without arguments it does nothing
/// (the test runner never calls it).
/// </summary>
internal static class CrashChildProgram
{
    public const string Verb = "vfs-crash-child";

    public static async Task<int> Main(string[] args)
    {
        if (args.Length != 4 || args[0] != Verb)
        {
            return 0;
        }

        var backend = new LocalBackend(new LocalOptions(args[1]));
        var vfs = new VirtualFileSystem(backend, new VfsOptions
        {
            CacheMode = VfsCacheMode.Writes,
            CacheDir = args[2],
            WriteBack = TimeSpan.FromHours(1),
        });

        var count = int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture);
        for (var i = 0; i < count; i++)
        {
            var data = Content(i);
            await vfs.PutAsync(VfsPath.Parse(FileName(i)), new MemoryStream(data), new PutOptions(data.Length), default);
        }

        var endless = new EndlessStream(100_000);
        _ = vfs.PutAsync(VfsPath.Parse("k/half.bin"), endless, new PutOptions(10_000_000), default).AsTask();
        await endless.Blocked.Task;
        Console.Out.WriteLine("ready");
        await Console.Out.FlushAsync();
        await Task.Delay(Timeout.Infinite);
        return 1;
    }

    public static string FileName(int i) => $"k/{i % 4}/f{i}.bin";

    public static byte[] Content(int i)
    {
        var data = new byte[(i * 37_117) % 700_000];
        new Random(1000 + i).NextBytes(data);
        return data;
    }

    /// <summary>Hands out some bytes, then blocks forever: a client still sending when the process dies.</summary>
    private sealed class EndlessStream(int before) : Stream
    {
        private int _position;

        public TaskCompletionSource Blocked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_position >= before)
            {
                Blocked.TrySetResult();
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            var n = Math.Min(buffer.Length, before - _position);
            buffer.Span[..n].Fill(0x5A);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
