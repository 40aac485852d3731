using System.Globalization;
using System.Net;

namespace Sessions.Tests.Infrastructure;

/// <summary>One scrape of <c>/metrics</c>: every sample line of the Prometheus text format, by its name and labels as written.</summary>
public sealed class PrometheusText
{
    private readonly Dictionary<string, double> _samples;

    private PrometheusText(string text)
    {
        Text = text;
        _samples = [];
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith('#'))
                continue;
            var space = line.LastIndexOf(' ');
            // OpenTelemetry's exporter writes a series without labels as `name{}`, the same series as `name`.
            var series = line[..space];
            _samples[series.EndsWith("{}", StringComparison.Ordinal) ? series[..^2] : series] = double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture);
        }
    }

    public string Text { get; }

    public static async Task<PrometheusText> Scrape(HttpClient http)
    {
        using var response = await http.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new PrometheusText(await response.Content.ReadAsStringAsync());
    }

    /// <summary>A sample's value; a series nothing has been recorded into yet is not written at all, and counts as 0.</summary>
    public double this[string series] => _samples.GetValueOrDefault(series);

    /// <summary>The type line of a metric family, e.g. <c>gauge</c> or <c>histogram</c>.</summary>
    public string? TypeOf(string family) =>
        Text.Split('\n').FirstOrDefault(l => l.StartsWith($"# TYPE {family} ", StringComparison.Ordinal))?.Split(' ')[3].Trim();

    /// <summary>How much each named series grew from <paramref name="before"/> to this scrape.</summary>
    public Dictionary<string, double> Deltas(PrometheusText before, params string[] series) =>
        series.ToDictionary(s => s, s => this[s] - before[s]);
}
