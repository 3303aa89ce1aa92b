using System.Globalization;
using System.Text;
using System.Text.Json;

namespace VfsGateway.Frontends.S3.Auth;

/// <summary>
/// A browser POST upload's policy (base64 JSON: expiration and conditions) evaluated against the
/// form's fields as AWS does: every condition must hold and every field but the exempt ones must be
/// named by a condition. The file's size is checked later against <see cref="MinLength"/>/<see cref="MaxLength"/>.
/// </summary>
internal sealed class PostPolicy
{
    private PostPolicy(long minLength, long maxLength)
    {
        MinLength = minLength;
        MaxLength = maxLength;
    }

    /// <summary>The smallest file content-length-range allows (0 without the condition).</summary>
    public long MinLength { get; }

    /// <summary>The largest file content-length-range allows (<see cref="long.MaxValue"/> without the condition).</summary>
    public long MaxLength { get; }

    /// <summary>Fields no condition needs to name.</summary>
    public static bool IsExempt(string field) =>
        field.Equals("x-amz-signature", StringComparison.OrdinalIgnoreCase)
        || field.Equals("file", StringComparison.OrdinalIgnoreCase)
        || field.Equals("policy", StringComparison.OrdinalIgnoreCase)
        || field.StartsWith("x-ignore-", StringComparison.OrdinalIgnoreCase);

    /// <summary>Decodes and checks the policy; throws the S3 error AWS answers with when it does not hold.</summary>
    /// <param name="fields">The form fields (case-insensitive names) before the file, with "bucket" set to the request's bucket.</param>
    public static PostPolicy Evaluate(string base64Policy, IReadOnlyDictionary<string, string> fields, DateTimeOffset now)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(base64Policy)));
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            throw Malformed("Policy Document is not valid base64-encoded JSON.");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("expiration", out var expiration) || expiration.ValueKind != JsonValueKind.String
                || !DateTimeOffset.TryParse(expiration.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var expires))
            {
                throw Malformed("Policy Document needs an 'expiration' in ISO 8601 format.");
            }

            if (expires <= now)
            {
                throw Denied("Policy expired.");
            }

            if (!root.TryGetProperty("conditions", out var conditions) || conditions.ValueKind != JsonValueKind.Array)
            {
                throw Malformed("Policy Document needs a 'conditions' array.");
            }

            var covered = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            long min = 0, max = long.MaxValue;
            foreach (var condition in conditions.EnumerateArray())
            {
                if (condition.ValueKind == JsonValueKind.Object)
                {
                    foreach (var property in condition.EnumerateObject())
                    {
                        covered.Add(property.Name);
                        Require(fields, property.Name, property.Value, "eq", (actual, expected) => actual == expected);
                    }
                }
                else if (condition.ValueKind == JsonValueKind.Array && condition.GetArrayLength() == 3
                    && condition[0].ValueKind == JsonValueKind.String)
                {
                    var op = condition[0].GetString()!.ToLowerInvariant();
                    if (op == "content-length-range")
                    {
                        if (!condition[1].TryGetInt64(out min) || !condition[2].TryGetInt64(out max) || min < 0 || max < min)
                        {
                            throw Malformed("content-length-range needs two integers, 0 <= min <= max.");
                        }

                        continue;
                    }

                    if (condition[1].ValueKind != JsonValueKind.String || condition[1].GetString() is not ['$', .. var name])
                    {
                        throw Malformed("A policy condition names its field as \"$field\".");
                    }

                    covered.Add(name);
                    Func<string, string, bool> test = op switch
                    {
                        "eq" => (actual, expected) => actual == expected,
                        "starts-with" when name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase) => StartsWithEach,
                        "starts-with" => (actual, expected) => actual.StartsWith(expected, StringComparison.Ordinal),
                        _ => throw Malformed($"Unknown policy condition '{op}'."),
                    };
                    Require(fields, name, condition[2], op, test);
                }
                else
                {
                    throw Malformed("Each policy condition is an object or a three-element array.");
                }
            }

            var extra = fields.Keys.Where(f => !IsExempt(f) && !covered.Contains(f) && !f.Equals("bucket", StringComparison.OrdinalIgnoreCase)).ToList();
            if (extra.Count > 0)
            {
                throw Denied("Extra input fields: " + string.Join(", ", extra));
            }

            return new PostPolicy(min, max);
        }
    }

    /// <summary>
    /// AWS's POST policy "Condition Matching": a Content-Type with commas is a list, and starts-with
    /// holds only when every value in it starts with the prefix ("image/jpeg, image/png" passes
    /// "image/", "image/jpeg,text/plain" does not).
    /// </summary>
    private static bool StartsWithEach(string actual, string expected) =>
        actual.Split(',', StringSplitOptions.TrimEntries).All(value => value.StartsWith(expected, StringComparison.Ordinal));

    private static void Require(IReadOnlyDictionary<string, string> fields, string name, JsonElement expected, string op, Func<string, string, bool> test)
    {
        if (expected.ValueKind != JsonValueKind.String)
        {
            throw Malformed($"The value of the condition on '{name}' must be a string.");
        }

        var value = expected.GetString()!;
        if (!test(fields.GetValueOrDefault(name) ?? string.Empty, value))
        {
            throw Denied($"Policy Condition failed: [\"{op}\", \"${name.ToLowerInvariant()}\", \"{value}\"]");
        }
    }

    private static S3Exception Denied(string reason) => new(S3Error.AccessDenied, "Invalid according to Policy: " + reason);

    private static S3Exception Malformed(string reason) => new(S3Error.InvalidPolicyDocument, "Invalid Policy: " + reason);
}
