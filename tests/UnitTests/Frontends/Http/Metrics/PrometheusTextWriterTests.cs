using VfsGateway.Frontends.Http.Metrics;

namespace VfsGateway.UnitTests.Frontends.Http.Metrics;

public sealed class PrometheusTextWriterTests
{
    [Fact]
    public void Write_FamilyAndSamples_ProducesExpositionFormat()
    {
        var output = new StringWriter();
        var writer = new PrometheusTextWriter(output);

        writer.WriteFamily("http_requests_total", "counter", "Requests.");
        writer.WriteSample("http_requests_total", ["method", "code"], ["GET", "200"], 1027L);
        writer.WriteSample("http_requests_total", [], [], 3L);
        writer.WriteFamily("temperature", "gauge", "A gauge.");
        writer.WriteSample("temperature", [], [], -1.5);
        writer.WriteSample("temperature", ["k"], ["v"], double.PositiveInfinity);

        Assert.Equal(
            "# HELP http_requests_total Requests.\n# TYPE http_requests_total counter\n" +
            "http_requests_total{method=\"GET\",code=\"200\"} 1027\nhttp_requests_total 3\n" +
            "# HELP temperature A gauge.\n# TYPE temperature gauge\ntemperature -1.5\ntemperature{k=\"v\"} +Inf\n",
            output.ToString());
        Assert.Empty(PrometheusFormat.Validate(output.ToString()));
    }

    [Fact]
    public void WriteSample_LabelValues_AreEscaped()
    {
        var output = new StringWriter();
        var writer = new PrometheusTextWriter(output);
        writer.WriteFamily("m", "counter", "help with \\ and\nnewline");

        writer.WriteSample("m", ["repo"], ["a\"b\\c\nd"], 1L);

        Assert.Equal("# HELP m help with \\\\ and\\nnewline\n# TYPE m counter\nm{repo=\"a\\\"b\\\\c\\nd\"} 1\n", output.ToString());
        Assert.Empty(PrometheusFormat.Validate(output.ToString()));
    }

    [Theory]
    [InlineData("1abc", "l")]
    [InlineData("a-b", "l")]
    [InlineData("", "l")]
    [InlineData("ok", "1l")]
    [InlineData("ok", "l:x")]
    [InlineData("ok", "__reserved")]
    public void WriteSample_InvalidNames_Throw(string metric, string label)
    {
        var writer = new PrometheusTextWriter(new StringWriter());

        Assert.Throws<ArgumentException>(() => writer.WriteSample(metric, [label], ["v"], 1L));
    }

    [Fact]
    public void WriteSample_LabelCountMismatch_Throws()
    {
        var writer = new PrometheusTextWriter(new StringWriter());

        Assert.Throws<ArgumentException>(() => writer.WriteSample("m", ["a", "b"], ["v"], 1L));
    }

    [Fact]
    public void CounterFamily_WritesSortedSamplesPerLabelSet()
    {
        var family = new CounterFamily<(string, string)>("x_total", "X.", ["a", "b"], k => [k.Item1, k.Item2]);
        family[("z", "1")].Add(5);
        family[("a", "2")].Increment();
        family[("a", "2")].Increment();
        var output = new StringWriter();

        family.WriteTo(new PrometheusTextWriter(output));

        Assert.Equal("# HELP x_total X.\n# TYPE x_total counter\nx_total{a=\"a\",b=\"2\"} 2\nx_total{a=\"z\",b=\"1\"} 5\n", output.ToString());
    }
}
