using System.Globalization;

namespace VfsGateway.Frontends.Http.Metrics;

/// <summary>
/// Writes the Prometheus text exposition format 0.0.4: per family a "# HELP" and a "# TYPE"
/// line, then one sample line per label set. Label values are escaped (backslash, double quote,
/// newline), HELP text too (backslash, newline); metric and label names are checked, since a
/// bad one makes the whole scrape fail.
/// </summary>
internal sealed class PrometheusTextWriter(TextWriter output)
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>Starts a metric family; <paramref name="type"/> is "counter", "gauge", "untyped", ...</summary>
    public void WriteFamily(string name, string type, string help)
    {
        CheckName(name, metric: true);
        output.Write("# HELP ");
        output.Write(name);
        output.Write(' ');
        foreach (var c in help)
        {
            switch (c)
            {
                case '\\': output.Write("\\\\"); break;
                case '\n': output.Write("\\n"); break;
                default: output.Write(c); break;
            }
        }

        output.Write("\n# TYPE ");
        output.Write(name);
        output.Write(' ');
        output.Write(type);
        output.Write('\n');
    }

    public void WriteSample(string name, ReadOnlySpan<string> labelNames, ReadOnlySpan<string> labelValues, long value)
    {
        WriteNameAndLabels(name, labelNames, labelValues);
        output.Write(value.ToString(CultureInfo.InvariantCulture));
        output.Write('\n');
    }

    public void WriteSample(string name, ReadOnlySpan<string> labelNames, ReadOnlySpan<string> labelValues, double value)
    {
        WriteNameAndLabels(name, labelNames, labelValues);
        output.Write(
            double.IsNaN(value) ? "NaN" :
            double.IsPositiveInfinity(value) ? "+Inf" :
            double.IsNegativeInfinity(value) ? "-Inf" :
            value.ToString("R", CultureInfo.InvariantCulture));
        output.Write('\n');
    }

    private void WriteNameAndLabels(string name, ReadOnlySpan<string> labelNames, ReadOnlySpan<string> labelValues)
    {
        CheckName(name, metric: true);
        if (labelNames.Length != labelValues.Length)
        {
            throw new ArgumentException($"{labelNames.Length} label names but {labelValues.Length} values", nameof(labelValues));
        }

        output.Write(name);
        if (labelNames.Length > 0)
        {
            output.Write('{');
            for (var i = 0; i < labelNames.Length; i++)
            {
                CheckName(labelNames[i], metric: false);
                if (i > 0)
                {
                    output.Write(',');
                }

                output.Write(labelNames[i]);
                output.Write("=\"");
                WriteEscapedLabelValue(labelValues[i]);
                output.Write('"');
            }

            output.Write('}');
        }

        output.Write(' ');
    }

    private void WriteEscapedLabelValue(string value)
    {
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\': output.Write("\\\\"); break;
                case '"': output.Write("\\\""); break;
                case '\n': output.Write("\\n"); break;
                default: output.Write(c); break;
            }
        }
    }

    /// <summary>Metric names: [a-zA-Z_:][a-zA-Z0-9_:]*; label names: [a-zA-Z_][a-zA-Z0-9_]*, not starting with "__" (reserved).</summary>
    private static void CheckName(string name, bool metric)
    {
        var valid = name.Length > 0 && !char.IsAsciiDigit(name[0]) && (metric || !name.StartsWith("__", StringComparison.Ordinal));
        foreach (var c in name)
        {
            valid &= char.IsAsciiLetterOrDigit(c) || c == '_' || (metric && c == ':');
        }

        if (!valid)
        {
            throw new ArgumentException($"'{name}' is not a valid Prometheus {(metric ? "metric" : "label")} name", nameof(name));
        }
    }
}
