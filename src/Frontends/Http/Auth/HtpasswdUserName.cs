namespace VfsGateway.Frontends.Http.Auth;

/// <summary>
/// The user names the gateway accepts: letters, digits, '_', '-', '.' and '@' (rest-server's
/// rule). They end up in repository paths (private repos), log lines and metric labels, so
/// nothing that could separate a path or a field gets through.
/// </summary>
public static class HtpasswdUserName
{
    public const int MaxLength = 128;

    public static bool IsValid(string? user) => user is not null && IsValid(user.AsSpan());

    public static bool IsValid(ReadOnlySpan<char> user)
    {
        if (user.IsEmpty || user.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in user)
        {
            if (!(char.IsLetter(c) || char.IsAsciiDigit(c) || c is '_' or '-' or '.' or '@'))
            {
                return false;
            }
        }

        return true;
    }
}
