namespace VfsGateway.Cli.Remotes;

/// <summary>
/// A remote as written on the command line, before any lookup:
/// a bare path ("/srv/restic", "./data") means the local backend; "name:path" names a config
/// section or a backend type; ":type,key=value:path" builds a remote inline. Options after the
/// name ("name,key=value:path") override the remote's other sources.
/// </summary>
/// <param name="Name">The section or backend type; "local" for a bare path.</param>
/// <param name="Path">The part after the colon: the backend's root (may be empty).</param>
/// <param name="Options">Options given in the string itself (keys normalized to snake_case).</param>
/// <param name="IsInline">":type,...": <see cref="Name"/> is a backend type, never a config section.</param>
/// <param name="IsBarePath">No "name:" prefix: a local path.</param>
internal sealed record RemoteString(string Name, string Path, IReadOnlyDictionary<string, string> Options, bool IsInline, bool IsBarePath);
