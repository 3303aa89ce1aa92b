using System.Text.Json.Serialization;

namespace VfsGateway.Vfs.Metadata;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(MetadataRecord))]
internal sealed partial class MetadataJsonContext : JsonSerializerContext;
