namespace VfsGateway.ConformanceTests;

/// <summary>Abilities a fixture declares missing; the tests for them then check nothing backend-specific.</summary>
[Flags]
public enum UnsupportedFeatures
{
    None = 0,

    /// <summary>PutOptions.ModTime is not recorded.</summary>
    SetModTime = 1,

    /// <summary>PutOptions.ContentType is not stored natively.</summary>
    ContentType = 2,

    /// <summary>The backend stages no multipart uploads itself (no <see cref="Vfs.Multipart.IMultipartUploads"/>).</summary>
    Multipart = 4,

    /// <summary>The server rewrites a trailing space in a name (pure-ftpd turns it into '_'); such names are not round-tripped.</summary>
    TrailingSpaceInNames = 8,
}
