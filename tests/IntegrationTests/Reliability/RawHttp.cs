using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace VfsGateway.IntegrationTests.Reliability;

/// <summary>What came back for one hand-made request: the status (null when the server closed without one) and the body.</summary>
internal sealed record RawResponse(int? Status, string Head, byte[] Body, bool TimedOut)
{
    public string BodyText => Encoding.UTF8.GetString(Body);

    public override string ToString() =>
        TimedOut ? "no answer (timed out)" : Status is null ? "connection closed without an answer" : $"{Status}: {Head.Split("\r\n")[0]} {Truncate(BodyText)}";

    private static string Truncate(string s) => s.Length <= 300 ? s : s[..300] + "…";
}

/// <summary>
/// Sends bytes exactly as given (no client-side normalisation of the request target, lengths or framing)
/// on a fresh loopback connection and reads one HTTP/1.1 answer.
/// </summary>
internal static class RawHttp
{
    public static async Task<RawResponse> SendAsync(int port, byte[] request, bool halfCloseAfterSend, TimeSpan timeout)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        using var cts = new CancellationTokenSource(timeout);
        var stream = client.GetStream();
        try
        {
            await stream.WriteAsync(request, cts.Token);
            if (halfCloseAfterSend)
            {
                client.Client.Shutdown(SocketShutdown.Send);
            }
        }
        catch (IOException)
        {
            // The server may answer (413, 431 …) and close before it has read everything; read the answer below.
        }

        var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var n = await stream.ReadAsync(chunk, cts.Token);
                if (n == 0)
                {
                    break;
                }

                buffer.Write(chunk, 0, n);
                if (IsComplete(buffer.ToArray()))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return Parse(buffer.ToArray(), timedOut: buffer.Length == 0);
        }
        catch (IOException)
        {
            // reset after an answer: parse what arrived
        }

        return Parse(buffer.ToArray(), timedOut: false);
    }

    /// <summary>The request bytes: request line, headers (Host added when missing), CRLF, body.</summary>
    public static byte[] Build(string method, string target, IEnumerable<KeyValuePair<string, string>>? headers = null, byte[]? body = null, bool contentLength = true)
    {
        var sb = new StringBuilder();
        sb.Append(method).Append(' ').Append(target).Append(" HTTP/1.1\r\n");
        var list = (headers ?? []).ToList();
        if (!list.Any(h => h.Key.Equals("Host", StringComparison.OrdinalIgnoreCase)))
        {
            sb.Append("Host: 127.0.0.1\r\n");
        }

        foreach (var (k, v) in list)
        {
            sb.Append(k).Append(": ").Append(v).Append("\r\n");
        }

        if (contentLength && !list.Any(h => h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) || h.Key.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)))
        {
            sb.Append("Content-Length: ").Append((body?.Length ?? 0).ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        }

        sb.Append("Connection: close\r\n\r\n");
        return [.. Encoding.Latin1.GetBytes(sb.ToString()), .. body ?? []];
    }

    private static bool IsComplete(byte[] data)
    {
        var text = Encoding.Latin1.GetString(data);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            return false;
        }

        var head = text[..end];
        if (head.StartsWith("HTTP/1.1 100", StringComparison.Ordinal))
        {
            return IsComplete(data[(end + 4)..]);
        }

        var length = ContentLength(head);
        if (length is null)
        {
            // chunked or close-delimited: wait for the server to close (Connection: close was sent)
            return head.Contains("transfer-encoding: chunked", StringComparison.OrdinalIgnoreCase) && text.EndsWith("\r\n0\r\n\r\n", StringComparison.Ordinal);
        }

        return data.Length - (end + 4) >= length || head.StartsWith("HTTP/1.1 304", StringComparison.Ordinal);
    }

    private static long? ContentLength(string head)
    {
        foreach (var line in head.Split("\r\n"))
        {
            if (line.StartsWith("content-length:", StringComparison.OrdinalIgnoreCase))
            {
                return long.Parse(line["content-length:".Length..].Trim(), CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    private static RawResponse Parse(byte[] data, bool timedOut)
    {
        var text = Encoding.Latin1.GetString(data);
        while (text.StartsWith("HTTP/1.1 100", StringComparison.Ordinal))
        {
            var skip = text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4;
            text = text[skip..];
            data = data[skip..];
        }

        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (!text.StartsWith("HTTP/", StringComparison.Ordinal) || end < 0)
        {
            return new RawResponse(null, text, [], timedOut);
        }

        var head = text[..end];
        var status = int.Parse(head.Split(' ')[1], CultureInfo.InvariantCulture);
        return new RawResponse(status, head, data[(end + 4)..], false);
    }
}
