using System.Text.Json.Serialization;

namespace VfsGateway.Vfs.Cache;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CacheRecord))]
internal sealed partial class CacheJsonContext : JsonSerializerContext;
