namespace VfsGateway.Vfs;

/// <summary>
/// A canonical path inside a remote: "" is the root, segments are separated by '/', there is no
/// leading or trailing '/', and no segment is empty, ".", ".." or contains NUL. Built once at the
/// frontend edge (CONVENTIONS §4); the permission check and the storage address use the same value.
/// The one exception to "no trailing '/'" is a directory key (<see cref="AsDirectoryKey"/>): the
/// object a bucket-based store keeps under the name "dir/", next to the keys below "dir/".
/// </summary>
public readonly record struct VfsPath : IComparable<VfsPath>
{
    private readonly string? _value;

    private VfsPath(string value) => _value = value;

    /// <summary>The root of the remote.</summary>
    public static VfsPath Root => default;

    /// <summary>The canonical text: "" for the root, otherwise "a/b/c".</summary>
    public string Value => _value ?? string.Empty;

    public bool IsRoot => Value.Length == 0;

    /// <summary>
    /// True for a directory key "a/dir/" (<see cref="AsDirectoryKey"/>): its <see cref="Name"/> is ""
    /// and its <see cref="Parent"/> is the directory "a/dir" it belongs to.
    /// </summary>
    public bool IsDirectoryKey => Value.EndsWith('/');

    /// <summary>The last segment ("" for the root).</summary>
    public string Name
    {
        get
        {
            var v = Value;
            var i = v.LastIndexOf('/');
            return i < 0 ? v : v[(i + 1)..];
        }
    }

    /// <summary>The containing directory (the root's parent is the root).</summary>
    public VfsPath Parent
    {
        get
        {
            var v = Value;
            var i = v.LastIndexOf('/');
            return i < 0 ? Root : new VfsPath(v[..i]);
        }
    }

    public int Depth => IsRoot ? 0 : Value.AsSpan().Count('/') + 1;

    public string[] Segments => IsRoot ? [] : Value.Split('/');

    /// <summary>
    /// Parses a slash-separated path. Leading and trailing slashes are ignored; empty, ".", ".."
    /// and NUL-containing segments, and backslashes, are rejected with <see cref="VfsErrorKind.Invalid"/>.
    /// </summary>
    public static VfsPath Parse(string? path)
    {
        if (!TryParse(path, out var result, out var error))
        {
            throw new VfsException(VfsErrorKind.Invalid, error, path);
        }

        return result;
    }

    public static bool TryParse(string? path, out VfsPath result, out string error)
    {
        result = Root;
        error = string.Empty;
        if (string.IsNullOrEmpty(path))
        {
            return true;
        }

        var trimmed = path.AsSpan().Trim('/');
        if (trimmed.Length == 0)
        {
            return true;
        }

        foreach (var range in trimmed.Split('/'))
        {
            if (!IsValidSegment(trimmed[range], out error))
            {
                return false;
            }
        }

        result = new VfsPath(trimmed.ToString());
        return true;
    }

    /// <summary>
    /// Parses a key as a bucket-based store names it (relative to the remote's root), strictly: a
    /// key ending in one '/' is the directory key of the rest (<see cref="AsDirectoryKey"/>); a
    /// leading '/', a second trailing '/' and every segment <see cref="TryParse"/> refuses make it
    /// a key no path can name (false), since trimming them would alias another key.
    /// </summary>
    public static bool TryParseKey(string key, out VfsPath result, out string error)
    {
        var directoryKey = key.EndsWith('/');
        var body = directoryKey ? key[..^1] : key;
        if (body.StartsWith('/') || body.EndsWith('/') || (directoryKey && body.Length == 0))
        {
            result = Root;
            error = $"'{key}' has an empty segment";
            return false;
        }

        if (!TryParse(body, out result, out error))
        {
            return false;
        }

        result = directoryKey ? result.AsDirectoryKey() : result;
        return true;
    }

    /// <summary>
    /// The key "dir/" of this directory: on a bucket-based backend (<see cref="BackendFeatures.BucketBased"/>)
    /// an object of its own, stored under the directory's name with a trailing '/' (what S3 clients
    /// and consoles create as a folder, possibly with content), independent of the keys below it.
    /// Path-based backends cannot hold it; the Vfs refuses it there.
    /// </summary>
    public VfsPath AsDirectoryKey() =>
        IsRoot ? throw new VfsException(VfsErrorKind.Invalid, "the root has no directory key")
        : IsDirectoryKey ? this : new VfsPath(Value + "/");

    /// <summary>Appends one segment (no '/' allowed in it).</summary>
    public VfsPath Join(string name)
    {
        RejectDirectoryKey();
        if (name.Contains('/', StringComparison.Ordinal) || !IsValidSegment(name, out var error))
        {
            throw new VfsException(VfsErrorKind.Invalid, $"invalid path segment '{name}'", name);
        }

        return IsRoot ? new VfsPath(name) : new VfsPath(Value + "/" + name);
    }

    /// <summary>Appends a relative path (which is parsed and validated).</summary>
    public VfsPath Combine(VfsPath relative)
    {
        RejectDirectoryKey();
        return relative.IsRoot ? this : IsRoot ? relative : new VfsPath(Value + "/" + relative.Value);
    }

    /// <summary>True when this path equals <paramref name="ancestor"/> or lies below it.</summary>
    public bool IsUnder(VfsPath ancestor) =>
        ancestor.IsRoot || Value == ancestor.Value ||
        (Value.Length > ancestor.Value.Length && Value.StartsWith(ancestor.Value, StringComparison.Ordinal) && Value[ancestor.Value.Length] == '/');

    /// <summary>This path relative to <paramref name="ancestor"/>, which it must lie under.</summary>
    public VfsPath RelativeTo(VfsPath ancestor)
    {
        if (!IsUnder(ancestor))
        {
            throw new ArgumentException($"'{Value}' is not under '{ancestor.Value}'", nameof(ancestor));
        }

        return ancestor.IsRoot ? this : Value.Length == ancestor.Value.Length ? Root : new VfsPath(Value[(ancestor.Value.Length + 1)..]);
    }

    public int CompareTo(VfsPath other) => string.CompareOrdinal(Value, other.Value);

    public static bool operator <(VfsPath left, VfsPath right) => left.CompareTo(right) < 0;

    public static bool operator <=(VfsPath left, VfsPath right) => left.CompareTo(right) <= 0;

    public static bool operator >(VfsPath left, VfsPath right) => left.CompareTo(right) > 0;

    public static bool operator >=(VfsPath left, VfsPath right) => left.CompareTo(right) >= 0;

    public bool Equals(VfsPath other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    public override string ToString() => Value;

    private void RejectDirectoryKey()
    {
        if (IsDirectoryKey)
        {
            throw new VfsException(VfsErrorKind.Invalid, $"'{Value}' is a directory key: nothing lies below it", Value);
        }
    }

    private static bool IsValidSegment(ReadOnlySpan<char> segment, out string error)
    {
        error = string.Empty;
        if (segment.Length == 0)
        {
            error = "empty path segment ('//')";
            return false;
        }

        if (segment is "." or "..")
        {
            error = $"'{segment}' is not allowed in a path";
            return false;
        }

        if (segment.Contains('\0'))
        {
            error = "NUL is not allowed in a path";
            return false;
        }

        if (segment.Contains('\\'))
        {
            error = "backslash is not allowed in a path";
            return false;
        }

        return true;
    }
}
