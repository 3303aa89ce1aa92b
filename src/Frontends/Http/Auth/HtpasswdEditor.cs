using System.Security.Cryptography;
using System.Text;

namespace VfsGateway.Frontends.Http.Auth;

/// <summary>
/// Edits htpasswd files for `gateway htpasswd add|remove|list FILE USER`. Lines of other users
/// and comments are kept; the new file is written to a temporary name next to the old one,
/// flushed to disk and renamed over it, so a crash or a concurrent reader (the running server
/// re-reads the file every 30 s) never sees half a file.
/// </summary>
public static class HtpasswdEditor
{
    /// <summary>Sets <paramref name="user"/>'s password (bcrypt), creating the file when missing. Returns true when the user existed.</summary>
    /// <exception cref="ArgumentException">The user name has characters other than letters, digits, '_', '-', '.' and '@', or the password is empty.</exception>
    public static async Task<bool> AddOrUpdateAsync(string path, string user, string password, int cost = BcryptHash.DefaultCost, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentException.ThrowIfNullOrEmpty(password);
        ValidateUser(user);
        var document = File.Exists(path)
            ? HtpasswdDocument.Parse(await HtpasswdDocument.ReadTextAsync(path, cancellationToken).ConfigureAwait(false))
            : HtpasswdDocument.Empty;
        var existed = document.Set(user, BcryptHash.HashPassword(password, cost));
        await WriteAtomicallyAsync(path, document.ToText(), cancellationToken).ConfigureAwait(false);
        return existed;
    }

    /// <summary>Removes <paramref name="user"/>; returns false (and leaves the file alone) when there was no such user.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static async Task<bool> RemoveAsync(string path, string user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        ValidateUser(user);
        var document = HtpasswdDocument.Parse(await HtpasswdDocument.ReadTextAsync(path, cancellationToken).ConfigureAwait(false));
        if (!document.Remove(user))
        {
            return false;
        }

        await WriteAtomicallyAsync(path, document.ToText(), cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>The users of the file, in file order.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static async Task<IReadOnlyList<string>> ListUsersAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        var document = HtpasswdDocument.Parse(await HtpasswdDocument.ReadTextAsync(path, cancellationToken).ConfigureAwait(false));
        return document.Entries.Select(e => e.User).ToList();
    }

    private static void ValidateUser(string user)
    {
        if (!HtpasswdUserName.IsValid(user))
        {
            throw new ArgumentException(
                $"invalid user name '{user}': use 1 to {HtpasswdUserName.MaxLength} letters, digits, '_', '-', '.' or '@'", nameof(user));
        }
    }

    private static async Task WriteAtomicallyAsync(string path, string text, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{path}' has no directory", nameof(path));
        var temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.Asynchronous };
        if (!OperatingSystem.IsWindows())
        {
            // Password hashes are for the server's eyes only; an existing file keeps its mode.
            options.UnixCreateMode = File.Exists(full) ? File.GetUnixFileMode(full) : UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            var stream = new FileStream(temp, options);
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }
}
