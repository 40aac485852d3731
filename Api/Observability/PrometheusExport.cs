using System.Diagnostics.Metrics;
using Prometheus;

namespace Sessions.Api.Observability;

/// <summary>
/// Publishes this host's .NET meters (Sessions, ASP.NET Core, Kestrel, Orleans) and process statistics in one
/// prometheus-net registry of its own. Started when <c>/metrics</c> is mapped, before the first request, so nothing
/// recorded before the first scrape is lost.
/// </summary>
internal sealed class PrometheusExport : IDisposable
{
    // Grain calls answer in well under a millisecond; the adapter's default buckets start at 10 ms.
    private static readonly double[] SecondsBuckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly IDisposable _adapter;

    public PrometheusExport(IMeterFactory meterFactory)
    {
        Registry = Metrics.NewCustomRegistry();
        _adapter = MeterAdapter.StartListening(new MeterAdapterOptions
        {
            Registry = Registry,
            MetricFactory = Metrics.WithCustomRegistry(Registry),
            // Only meters made by this host's factory: two hosts in one process (the tests) never count into each other.
            InstrumentFilterPredicate = instrument => ReferenceEquals(instrument.Meter.Scope, meterFactory),
            // Label sets are closed here; keep a quiet series for the longest the adapter allows rather than five minutes.
            MetricsExpireAfter = TimeSpan.FromDays(1),
            ResolveHistogramBuckets = instrument => instrument.Unit == "s" ? SecondsBuckets : MeterAdapterOptions.DefaultHistogramBuckets,
        });
        DotNetStats.Register(Registry);
    }

    public CollectorRegistry Registry { get; }

    public void Dispose() => _adapter.Dispose();
}
