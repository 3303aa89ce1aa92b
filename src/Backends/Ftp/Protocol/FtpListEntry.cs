namespace VfsGateway.Backends.Ftp.Protocol;

/// <summary>One line of a directory listing (MLSD or LIST), as the server reported it.</summary>
/// <param name="Name">The entry's name (no directory part).</param>
/// <param name="Kind">File, directory or symbolic link.</param>
/// <param name="Size">Bytes (0 when unknown or a directory).</param>
/// <param name="ModTime">UTC modification time; null when the listing has none.</param>
/// <param name="LinkTarget">For a symlink listed by LIST, the text after " -> ".</param>
internal sealed record FtpListEntry(string Name, FtpEntryKind Kind, long Size, DateTimeOffset? ModTime, string? LinkTarget = null);
