using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;

namespace VfsGateway.Frontends.Http.Auth;

/// <summary>
/// HTTP Basic authentication against an htpasswd file (bcrypt, {SHA}, $apr1$). A verified
/// password is remembered per user as a keyed SHA-256 of it (never the plaintext), so a restore
/// that sends thousands of requests pays for one bcrypt, not one per request (rest-server
/// issue #133). The parsed file and that cache are replaced together when the file's content
/// changes (checked at most every <see cref="DefaultCheckInterval"/>) or on SIGHUP.
/// </summary>
internal sealed partial class HtpasswdAuthenticator : IDisposable
{
    public static readonly TimeSpan DefaultCheckInterval = TimeSpan.FromSeconds(30);

    // A Basic header longer than this is not a credential worth decoding.
    private const int MaxHeaderChars = 8 * 1024;

    private readonly string _path;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly TimeSpan _checkInterval;
    private readonly Lock _reloadLock = new();
    private Snapshot? _snapshot;
    private long _nextCheckTimestamp;
    private int _checking;
    private PosixSignalRegistration? _sighup;
    private long _hashVerifications;

    public HtpasswdAuthenticator(string path, ILogger logger, TimeProvider? time = null, TimeSpan? checkInterval = null)
    {
        _path = path;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _checkInterval = checkInterval ?? DefaultCheckInterval;
    }

    public string Path => _path;

    /// <summary>How many times a password hash (a real one or the dummy) was computed: what the cache saves.</summary>
    internal long HashVerifications => Interlocked.Read(ref _hashVerifications);

    /// <summary>Users in the loaded file.</summary>
    public int UserCount => _snapshot?.Hashes.Count ?? 0;

    /// <summary>
    /// Loads the file before the server starts. A missing file or one without a usable user is a
    /// <see cref="Http.GatewayStartupException"/> whose message says how to fix it.
    /// </summary>
    public void Load()
    {
        string text;
        try
        {
            text = HtpasswdDocument.ReadText(_path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new Http.GatewayStartupException(
                $"no credentials: the htpasswd file {_path} does not exist. Create it with `gateway htpasswd add {_path} USER`, " +
                "point --htpasswd at an existing htpasswd file, or pass --no-auth to serve without authentication.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new Http.GatewayStartupException($"cannot read the htpasswd file {_path}: {e.Message} (fix it or pass --no-auth)", e);
        }

        var snapshot = Parse(text);
        if (snapshot.Hashes.Count == 0)
        {
            throw new Http.GatewayStartupException(
                $"no credentials: the htpasswd file {_path} has no usable users. Add one with `gateway htpasswd add {_path} USER`, " +
                "or pass --no-auth to serve without authentication.");
        }

        Volatile.Write(ref _snapshot, snapshot);
        _nextCheckTimestamp = _time.GetTimestamp() + ToTimestampTicks(_checkInterval);
        LogLoaded(_logger, _path, snapshot.Hashes.Count);
    }

    /// <summary>Reloads on SIGHUP, as rest-server does. Not available on every platform; then the 30 s check remains.</summary>
    public void ReloadOnSighup()
    {
        try
        {
            _sighup ??= PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
            {
                // Handled: SIGHUP's default action would end the process.
                context.Cancel = true;
                Reload(force: true);
            });
        }
        catch (PlatformNotSupportedException)
        {
        }
    }

    /// <summary>
    /// Checks an Authorization header. On success <paramref name="principal"/> is an identity named
    /// after the user (the same instance for every request of that user until the file changes).
    /// </summary>
    public bool TryAuthenticate(string? authorization, [NotNullWhen(true)] out ClaimsPrincipal? principal)
    {
        principal = null;
        CheckForChanges();
        var snapshot = Volatile.Read(ref _snapshot);
        if (snapshot is null || authorization is null || authorization.Length > MaxHeaderChars ||
            !authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var encoded = authorization.AsSpan(6).Trim();
        var rented = ArrayPool<byte>.Shared.Rent((encoded.Length * 3 / 4) + 3);
        try
        {
            if (!Convert.TryFromBase64Chars(encoded, rented, out var length))
            {
                return false;
            }

            var decoded = rented.AsSpan(0, length);
            var colon = decoded.IndexOf((byte)':');
            if (colon <= 0 || colon > HtpasswdUserName.MaxLength * 4)
            {
                return false;
            }

            Span<char> user = stackalloc char[HtpasswdUserName.MaxLength * 4];
            var userLength = Encoding.UTF8.GetChars(decoded[..colon], user);
            return HtpasswdUserName.IsValid(user[..userLength]) &&
                Verify(snapshot, user[..userLength], decoded[(colon + 1)..], out principal);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(rented);
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Re-reads the file; with <paramref name="force"/> the cache is dropped even when nothing changed (SIGHUP). False when the file could not be read.</summary>
    internal bool Reload(bool force)
    {
        lock (_reloadLock)
        {
            string text;
            try
            {
                text = HtpasswdDocument.ReadText(_path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                // rest-server keeps serving the users it has; a half-replaced file must not lock everyone out.
                LogReloadFailed(_logger, _path, e.Message);
                return false;
            }

            if (force || !string.Equals(text, Volatile.Read(ref _snapshot)?.Text, StringComparison.Ordinal))
            {
                var snapshot = Parse(text);
                Volatile.Write(ref _snapshot, snapshot);
                LogReloaded(_logger, _path, snapshot.Hashes.Count);
            }

            return true;
        }
    }

    public void Dispose() => _sighup?.Dispose();

    /// <summary>
    /// At most once per interval, by whichever request gets there first, compares the file's text
    /// with the loaded one. Comparing content rather than mtime/size/inode also catches a
    /// same-size replacement within the mtime granularity; the file is small, reading it is cheap.
    /// </summary>
    private void CheckForChanges()
    {
        var now = _time.GetTimestamp();
        if (now < Volatile.Read(ref _nextCheckTimestamp) || Interlocked.Exchange(ref _checking, 1) == 1)
        {
            return;
        }

        try
        {
            Volatile.Write(ref _nextCheckTimestamp, now + ToTimestampTicks(_checkInterval));
            Reload(force: false);
        }
        finally
        {
            Volatile.Write(ref _checking, 0);
        }
    }

    private bool Verify(Snapshot snapshot, ReadOnlySpan<char> user, ReadOnlySpan<byte> password, [NotNullWhen(true)] out ClaimsPrincipal? principal)
    {
        principal = null;
        Span<byte> digest = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(snapshot.CacheKey, password, digest);
        var verified = snapshot.Verified.GetAlternateLookup<ReadOnlySpan<char>>();
        if (verified.TryGetValue(user, out var cached) && CryptographicOperations.FixedTimeEquals(cached.Digest, digest))
        {
            principal = cached.Principal;
            return true;
        }

        var name = user.ToString();
        Interlocked.Increment(ref _hashVerifications);
        if (!snapshot.Hashes.TryGetValue(name, out var hash))
        {
            // Same work as for a real user, so timing does not reveal which users exist.
            _ = HtpasswdHash.Verify(password, snapshot.DummyHash.Value);
            return false;
        }

        if (!HtpasswdHash.Verify(password, hash))
        {
            return false;
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, name)], "Basic");
        var entry = new VerifiedCredential(digest.ToArray(), new ClaimsPrincipal(identity));
        snapshot.Verified[name] = entry;
        principal = entry.Principal;
        return true;
    }

    private Snapshot Parse(string text)
    {
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in HtpasswdDocument.Parse(text).Entries)
        {
            if (!HtpasswdUserName.IsValid(entry.User))
            {
                LogInvalidUser(_logger, _path, entry.User);
            }
            else if (HtpasswdHash.IsMalformedBcrypt(entry.Hash))
            {
                // Logged here, once per load; the user then never matches (no exception, no 500).
                LogMalformedBcrypt(_logger, _path, entry.User);
            }
            else if (!HtpasswdHash.IsSupported(entry.Hash))
            {
                LogUnsupportedHash(_logger, _path, entry.User);
            }
            else
            {
                // The first line of a user wins, as in Apache.
                hashes.TryAdd(entry.User, entry.Hash);
            }
        }

        var template = hashes.Values.FirstOrDefault() ?? string.Empty;
        return new Snapshot(text, hashes, new Lazy<string>(() => HtpasswdHash.CreateDummyLike(template)));
    }

    private long ToTimestampTicks(TimeSpan interval) => (long)(interval.TotalSeconds * _time.TimestampFrequency);

    [LoggerMessage(Level = LogLevel.Information, Message = "loaded htpasswd file {Path}: {Users} users")]
    private static partial void LogLoaded(ILogger logger, string path, int users);

    [LoggerMessage(Level = LogLevel.Information, Message = "reloaded htpasswd file {Path}: {Users} users")]
    private static partial void LogReloaded(ILogger logger, string path, int users);

    [LoggerMessage(Level = LogLevel.Warning, Message = "could not reload htpasswd file {Path}, keeping the users loaded before: {Error}")]
    private static partial void LogReloadFailed(ILogger logger, string path, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Path}: ignoring user '{User}': names may only have letters, digits, '_', '-', '.' and '@'")]
    private static partial void LogInvalidUser(ILogger logger, string path, string user);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Path}: ignoring user '{User}': unsupported password hash (use bcrypt: `gateway htpasswd add`)")]
    private static partial void LogUnsupportedHash(ILogger logger, string path, string user);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Path}: ignoring user '{User}': malformed bcrypt hash (expected $2a$/$2b$/$2y$, cost 04-31, 53 characters of salt and hash; reset it with `gateway htpasswd add`)")]
    private static partial void LogMalformedBcrypt(ILogger logger, string path, string user);

    private sealed record VerifiedCredential(byte[] Digest, ClaimsPrincipal Principal);

    /// <summary>One version of the file with its own cache key and cache: replacing the snapshot drops both.</summary>
    private sealed class Snapshot(string text, Dictionary<string, string> hashes, Lazy<string> dummyHash)
    {
        public string Text { get; } = text;

        public Dictionary<string, string> Hashes { get; } = hashes;

        public Lazy<string> DummyHash { get; } = dummyHash;

        public byte[] CacheKey { get; } = RandomNumberGenerator.GetBytes(32);

        public ConcurrentDictionary<string, VerifiedCredential> Verified { get; } = new(StringComparer.Ordinal);
    }
}
