using System.Text.Json.Serialization;

namespace VfsGateway.Frontends.S3.Multipart;

/// <summary>
/// Source-generated (de)serializers of the staged upload files: no reflection at run time, so the
/// store works trimmed and in a NativeAOT binary. Default options (PascalCase names, nulls written),
/// the format the reflection serializer wrote, so uploads staged by an older gateway still complete.
/// </summary>
[JsonSerializable(typeof(StagedUpload))]
[JsonSerializable(typeof(StagedPart))]
internal sealed partial class MultipartJsonContext : JsonSerializerContext;
