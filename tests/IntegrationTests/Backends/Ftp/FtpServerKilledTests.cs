using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using VfsGateway.IntegrationTests.Infrastructure;
using VfsGateway.TestSupport;

namespace VfsGateway.IntegrationTests.Backends.Ftp;

/// <summary>
/// The FTP server dies in the middle of an upload through `serve restic ftp:…`: the client gets a
/// clear 5xx, no object appears under the name, and once the server is back the next upload works
/// (the pool drops the dead connections and logs in afresh).
/// </summary>
public sealed class FtpServerKilledTests
{
    [Fact]
    public async Task Upload_ServerKilledMidway_5xxNoPartialObjectAndNextUploadSucceeds()
    {
        await using var ftp = await FtpServer.StartAsync(FtpServerKind.Vsftpd, FtpServerTls.None, LocalUsers.Ftp);
        await using var gateway = await GatewayServer.StartAsync(
            "serve", "restic", $"ftp:{LocalUsers.Ftp}@127.0.0.1:{ftp.Port.ToString(CultureInfo.InvariantCulture)}{ftp.DataDirectory}/killed", "--no-auth",
            "--ftp-pass", ftp.Password);
        using var http = new HttpClient { BaseAddress = new Uri(gateway.BaseUrl), Timeout = TimeSpan.FromMinutes(2) };
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync("/repo/?create=true", null)).StatusCode);

        // A 64 MiB blob sent slowly: the server is killed after the first megabytes reached it.
        var name = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var firstBytesSent = new TaskCompletionSource();
        var content = new StreamContent(new SlowStream(64L << 20, 1 << 20, firstBytesSent));
        var upload = http.PostAsync($"/repo/data/{name}", content);
        await firstBytesSent.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await Task.Delay(300);
        await ftp.KillAsync();

        HttpResponseMessage? response = null;
        try
        {
            response = await upload;
        }
        catch (HttpRequestException)
        {
            // The gateway may also reset the request; either way the client sees a failure.
        }

        Assert.True(response is null || (int)response.StatusCode >= 500, $"status {response?.StatusCode}; gateway log:\n{gateway.Stderr}");
        if (response is not null)
        {
            // What the client sees is clear: no stack trace, no temporary name.
            var body = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
            Assert.DoesNotContain(".partial", body, StringComparison.Ordinal);
        }

        await ftp.RestartAsync();
        var blob = RandomNumberGenerator.GetBytes(100_000);
        var id = Convert.ToHexStringLower(SHA256.HashData(blob));
        var second = await http.PostAsync($"/repo/data/{id}", new ByteArrayContent(blob));
        Assert.True(second.IsSuccessStatusCode, $"status {second.StatusCode}; gateway log:\n{gateway.Stderr}");

        var dataDir = Path.Combine(ftp.DataDirectory, "killed", "repo", "data");
        var names = Directory.GetFiles(dataDir, "*", SearchOption.AllDirectories).Select(Path.GetFileName).ToList();
        Assert.Contains(id, names);
        Assert.DoesNotContain(name, names);
        var listing = await http.GetStringAsync("/repo/data/");
        Assert.DoesNotContain(name, listing, StringComparison.Ordinal);
        Assert.Contains(id, listing, StringComparison.Ordinal);
    }

    /// <summary>Zero bytes in chunks, a pause after each, signalling after the first chunk.</summary>
    private sealed class SlowStream(long length, int chunk, TaskCompletionSource started) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_position >= length)
            {
                return 0;
            }

            if (_position >= chunk)
            {
                started.TrySetResult();
                await Task.Delay(50, cancellationToken);
            }

            var n = (int)Math.Min(Math.Min(buffer.Length, chunk), length - _position);
            buffer.Span[..n].Clear();
            _position += n;
            return n;
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
