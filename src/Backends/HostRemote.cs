using System.Globalization;
using VfsGateway.Vfs;

namespace VfsGateway.Backends;

/// <summary>
/// The remote syntax shared by the host-based backends (sftp, ftp): <c>[user@]host[:port][/path]</c>,
/// with <c>[v6]</c> literals, and the root-path conventions of curl and rclone.
/// </summary>
internal static class HostRemote
{
    /// <summary>
    /// Splits <c>[user@]host[:port][/path]</c>. The path keeps its leading '/', so
    /// <c>host/srv/data</c> is the absolute /srv/data; <c>host/~/data</c> (curl's convention) or
    /// no path at all is relative to the login directory. <paramref name="scheme"/> names the
    /// backend in error messages.
    /// </summary>
    public static (string? User, string Host, int? Port, string Path) Parse(string root, string scheme)
    {
        var slash = root.IndexOf('/', StringComparison.Ordinal);
        var authority = slash < 0 ? root : root[..slash];
        var path = slash < 0 ? string.Empty : root[slash..];

        string? user = null;
        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            user = authority[..at];
            authority = authority[(at + 1)..];
            if (user.Length == 0)
            {
                throw Invalid($"{scheme} remote '{root}': empty user name before '@'");
            }
        }

        string host;
        string? portText = null;
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw Invalid($"{scheme} remote '{root}': unclosed '[' in the host");
            }

            host = authority[1..close];
            var after = authority[(close + 1)..];
            if (after.Length > 0)
            {
                portText = after.StartsWith(':') ? after[1..] : throw Invalid($"{scheme} remote '{root}': unexpected '{after}' after the host");
            }
        }
        else
        {
            var colon = authority.IndexOf(':', StringComparison.Ordinal);
            host = colon < 0 ? authority : authority[..colon];
            portText = colon < 0 ? null : authority[(colon + 1)..];
        }

        if (host.Length == 0)
        {
            throw Invalid($"{scheme} remote '{root}' has no host: use {scheme}:[user@]host[:port]/path");
        }

        int? port = null;
        if (portText is not null)
        {
            port = ParsePort(portText, scheme) ?? throw Invalid($"{scheme} remote '{root}': empty port after ':'");
        }

        return (user, host, port, NormalizeRootPath(path));
    }

    /// <summary>"" and "~" are the login directory, "~/x" and "x" are relative to it, "/x" is absolute; trailing slashes go.</summary>
    public static string NormalizeRootPath(string path)
    {
        if (path is "/~" or "~" || path.StartsWith("/~/", StringComparison.Ordinal))
        {
            path = path.Length <= 3 ? string.Empty : path[3..];
        }
        else if (path.StartsWith("~/", StringComparison.Ordinal))
        {
            path = path[2..];
        }

        var trimmed = path.TrimEnd('/');
        return trimmed.Length == 0 && path.StartsWith('/') ? "/" : trimmed;
    }

    public static int? ParsePort(string? text, string scheme)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            ? port
            : throw Invalid($"{scheme} port '{text}' is not a number (for a path relative to the login directory write host/~/path)");
    }

    private static VfsException Invalid(string message) => new(VfsErrorKind.Invalid, message);
}
