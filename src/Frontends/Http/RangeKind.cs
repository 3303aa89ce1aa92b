namespace VfsGateway.Frontends.Http;

/// <summary>What a Range header asks for, against an object of known size.</summary>
internal enum RangeKind
{
    /// <summary>No usable Range header: send the whole object (RFC 9110 lets a server ignore one it does not support).</summary>
    Full,

    /// <summary>One satisfiable range: 206.</summary>
    Partial,

    /// <summary>416 with "Content-Range: bytes */SIZE".</summary>
    Unsatisfiable,
}
