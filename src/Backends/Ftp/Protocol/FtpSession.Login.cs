using System.Net.Sockets;

namespace VfsGateway.Backends.Ftp.Protocol;

/// <summary>Connecting: TLS (implicit or AUTH TLS), login, PBSZ/PROT, FEAT, OPTS UTF8, TYPE I, PWD.</summary>
internal sealed partial class FtpSession
{
    /// <summary>Opens and logs in one control connection; a refused login is an <see cref="FtpReplyException"/> (530).</summary>
    public static async Task<FtpSession> ConnectAsync(Ftp.FtpOptions options, FtpTls? tls, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ReplyTimeout);
            await socket.ConnectAsync(options.Host, options.EffectivePort, timeout.Token).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new FtpProtocolException($"cannot connect ({e.Message})", e);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new FtpProtocolException("cannot connect (timed out)");
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var session = new FtpSession(socket, tls, options.DisableEpsv);
        try
        {
            await session.LoginAsync(options, cancellationToken).ConfigureAwait(false);
            return session;
        }
        catch
        {
            session.IsBroken = true;
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task LoginAsync(Ftp.FtpOptions options, CancellationToken cancellationToken)
    {
        if (options.ImplicitTls)
        {
            await GuardAsync(async ct =>
            {
                await UpgradeControlAsync(ct).ConfigureAwait(false);
                return true;
            }, cancellationToken).ConfigureAwait(false);
        }

        var greeting = await ReadReplyAsync(cancellationToken).ConfigureAwait(false);
        while (greeting.Code == 120)
        {
            // "Service ready in nnn minutes".
            greeting = await ReadReplyAsync(cancellationToken).ConfigureAwait(false);
        }

        if (greeting.Code != 220)
        {
            throw new FtpReplyException("connect", greeting);
        }

        if (options.ExplicitTls)
        {
            await ExpectAsync("AUTH TLS", cancellationToken, 234).ConfigureAwait(false);
            await GuardAsync(async ct =>
            {
                await UpgradeControlAsync(ct).ConfigureAwait(false);
                return true;
            }, cancellationToken).ConfigureAwait(false);
        }

        var user = await CommandAsync("USER " + options.User, cancellationToken).ConfigureAwait(false);
        if (user.Code == 331)
        {
            var password = options.Password ?? (options.User == "anonymous" ? "anonymous@" : string.Empty);
            var pass = await CommandAsync("PASS " + password, cancellationToken).ConfigureAwait(false);
            if (!pass.IsSuccess)
            {
                throw new FtpReplyException("PASS", pass);
            }
        }
        else if (!user.IsSuccess)
        {
            throw new FtpReplyException("USER", user);
        }

        if (options.UsesTls)
        {
            // RFC 4217 §9: PBSZ 0 then PROT P, so data connections are encrypted too.
            await ExpectAsync("PBSZ 0", cancellationToken, 200).ConfigureAwait(false);
            await ExpectAsync("PROT P", cancellationToken, 200).ConfigureAwait(false);
            ProtectedData = true;
        }

        var feat = await CommandAsync("FEAT", cancellationToken).ConfigureAwait(false);
        Features = feat.Code == 211 ? ParseFeatures(feat) : new HashSet<string>();

        if (Has("UTF8") && !options.DisableUtf8)
        {
            // RFC 2640 / draft-ietf-ftpext-utf-8-option: some servers need it before UTF-8 names work; a refusal is harmless.
            await CommandAsync("OPTS UTF8 ON", cancellationToken).ConfigureAwait(false);
        }

        await ExpectAsync("TYPE I", cancellationToken, 200).ConfigureAwait(false);
        var pwd = await ExpectAsync("PWD", cancellationToken, 257).ConfigureAwait(false);
        HomeDirectory = ParsePwd(pwd.Message) ?? "/";
    }

    /// <summary>The feature names of a 211 FEAT reply (RFC 2389): the lines between the first and the last, first word upper-cased.</summary>
    internal static HashSet<string> ParseFeatures(FtpReply reply)
    {
        var features = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 1; i < reply.Lines.Count - 1; i++)
        {
            var line = reply.Lines[i].Trim();
            if (line.Length == 0)
            {
                continue;
            }

            var space = line.IndexOf(' ', StringComparison.Ordinal);
            features.Add((space < 0 ? line : line[..space]).ToUpperInvariant());
        }

        return features;
    }

    /// <summary>The directory of a 257 reply: <c>"/home/u" is the current directory</c>, with "" for an embedded quote (RFC 959 appendix II).</summary>
    internal static string? ParsePwd(string message)
    {
        var open = message.IndexOf('"', StringComparison.Ordinal);
        if (open < 0)
        {
            return null;
        }

        var path = new System.Text.StringBuilder();
        for (var i = open + 1; i < message.Length; i++)
        {
            if (message[i] == '"')
            {
                if (i + 1 < message.Length && message[i + 1] == '"')
                {
                    path.Append('"');
                    i++;
                    continue;
                }

                return path.ToString();
            }

            path.Append(message[i]);
        }

        return null;
    }
}
