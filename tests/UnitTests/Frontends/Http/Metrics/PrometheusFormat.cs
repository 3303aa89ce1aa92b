using System.Text.RegularExpressions;

namespace VfsGateway.UnitTests.Frontends.Http.Metrics;

/// <summary>A strict reading of the Prometheus text format 0.0.4, for tests: returns the problems found.</summary>
internal static partial class PrometheusFormat
{
    public static List<string> Validate(string text)
    {
        var problems = new List<string>();
        var typed = new HashSet<string>(StringComparer.Ordinal);
        var helped = new HashSet<string>(StringComparer.Ordinal);
        var seenSeries = new HashSet<string>(StringComparer.Ordinal);
        if (text.Length > 0 && !text.EndsWith('\n'))
        {
            problems.Add("does not end with a newline");
        }

        foreach (var line in text.Split('\n').SkipLast(1))
        {
            if (Help().Match(line) is { Success: true } help)
            {
                if (!helped.Add(help.Groups[1].Value))
                {
                    problems.Add($"second HELP: {line}");
                }
            }
            else if (Type().Match(line) is { Success: true } type)
            {
                if (!typed.Add(type.Groups[1].Value))
                {
                    problems.Add($"second TYPE: {line}");
                }
            }
            else if (Sample().Match(line) is { Success: true } sample)
            {
                if (!typed.Contains(sample.Groups[1].Value) && !typed.Contains(HistogramFamily(sample.Groups[1].Value)))
                {
                    problems.Add($"sample before its TYPE: {line}");
                }

                if (!seenSeries.Add(sample.Groups[1].Value + sample.Groups[2].Value))
                {
                    problems.Add($"duplicate series: {line}");
                }
            }
            else
            {
                problems.Add($"not a valid line: {line}");
            }
        }

        return problems;
    }

    /// <summary>A histogram's samples are its family name plus _bucket, _sum or _count.</summary>
    private static string HistogramFamily(string sampleName)
    {
        foreach (var suffix in (string[])["_bucket", "_sum", "_count"])
        {
            if (sampleName.EndsWith(suffix, StringComparison.Ordinal))
            {
                return sampleName[..^suffix.Length];
            }
        }

        return sampleName;
    }

    [GeneratedRegex(@"^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) (?:[^\\\n]|\\[\\n])*$")]
    private static partial Regex Help();

    [GeneratedRegex(@"^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$")]
    private static partial Regex Type();

    [GeneratedRegex(@"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-zA-Z_][a-zA-Z0-9_]*=""(?:[^""\\\n]|\\[\\""n])*""(?:,[a-zA-Z_][a-zA-Z0-9_]*=""(?:[^""\\\n]|\\[\\""n])*"")*\})? (-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|NaN|[+-]Inf)$")]
    private static partial Regex Sample();
}
