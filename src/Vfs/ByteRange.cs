namespace VfsGateway.Vfs;

/// <summary>A byte range to read: from <see cref="Offset"/>, <see cref="Length"/> bytes or to the end when null.</summary>
public readonly record struct ByteRange(long Offset, long? Length = null)
{
    /// <summary>Clamps the range to an object of <paramref name="size"/> bytes; the result may be empty.</summary>
    /// <exception cref="VfsException">Invalid for a negative offset or length (a suffix range must be turned into an offset first).</exception>
    public (long Offset, long Count) Resolve(long size)
    {
        if (Offset < 0 || Length < 0)
        {
            throw new VfsException(VfsErrorKind.Invalid, $"invalid byte range (offset {Offset}, length {Length})");
        }

        var start = Math.Min(Offset, size);
        var count = Length is { } l ? Math.Min(l, size - start) : size - start;
        return (start, Math.Max(0, count));
    }
}
