namespace VfsGateway.Vfs;

/// <summary>
/// A canonical path inside a remote: "" is the root, segments are separated by '/', there is no
/// leading or trailing '/', and no segment is empty, ".", ".." or contains NUL. Built once at the
/// frontend edge (CONVENTIONS §4); the permission check and the storage address use the same value.
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

    /// <summary>Appends one segment (no '/' allowed in it).</summary>
    public VfsPath Join(string name)
    {
        if (name.Contains('/', StringComparison.Ordinal) || !IsValidSegment(name, out var error))
        {
            throw new VfsException(VfsErrorKind.Invalid, $"invalid path segment '{name}'", name);
        }

        return IsRoot ? new VfsPath(name) : new VfsPath(Value + "/" + name);
    }

    /// <summary>Appends a relative path (which is parsed and validated).</summary>
    public VfsPath Combine(VfsPath relative) =>
        relative.IsRoot ? this : IsRoot ? relative : new VfsPath(Value + "/" + relative.Value);

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
