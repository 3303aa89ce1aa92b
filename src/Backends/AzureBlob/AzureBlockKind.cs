namespace VfsGateway.Backends.AzureBlob;

/// <summary>What a staged block is (byte 4 of an <see cref="AzureBlockId"/>).</summary>
internal enum AzureBlockKind : byte
{
    /// <summary>A block of a plain chunked put.</summary>
    Put = (byte)'p',

    /// <summary>A block of a multipart part that is not its last.</summary>
    Part = (byte)'m',

    /// <summary>The last block of a multipart part; its id carries the MD5 of the whole part, so a part without it never finished.</summary>
    PartFinal = (byte)'f',

    /// <summary>The stand-in block of a zero-length part (Azure has no empty blocks): one byte, never committed.</summary>
    PartEmpty = (byte)'e',
}
