using System.Diagnostics.Metrics;
using OpenTelemetry.Metrics;
using Sessions.Grains;

namespace Sessions.Api.Observability;

/// <summary>
/// Which instruments this host exports and under which names. Only these are listened to: every other instrument of
/// ASP.NET Core, Kestrel and the runtime stays unobserved and costs its call site nothing.
/// </summary>
internal static class ExportedInstruments
{
    public const string HostingMeter = "Microsoft.AspNetCore.Hosting";
    public const string KestrelMeter = "Microsoft.AspNetCore.Server.Kestrel";
    public const string RuntimeMeter = "System.Runtime";

    // Grain calls answer in well under a millisecond; OpenTelemetry's default buckets start at 5 ms.
    private static readonly double[] SecondsBuckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private static readonly HashSet<(string Meter, string Instrument)> Chosen =
    [
        // Request latency and rate by route and status: the one ASP.NET Core instrument recorded per request.
        (HostingMeter, "http.server.request.duration"),
        // Open connections: recorded per connection, not per request (keep-alive).
        (KestrelMeter, "kestrel.active_connections"),
        // Runtime health, all observed only when scraped: CPU, memory, GC.
        (RuntimeMeter, "dotnet.process.cpu.time"),
        (RuntimeMeter, "dotnet.process.memory.working_set"),
        (RuntimeMeter, "dotnet.gc.collections"),
        (RuntimeMeter, "dotnet.gc.last_collection.heap.size"),
        (RuntimeMeter, "dotnet.gc.pause.time"),
    ];

    public static string[] Meters => [SessionsTelemetry.MeterName, HostingMeter, KestrelMeter, RuntimeMeter];

    /// <summary>
    /// The view of one instrument: dropped unless chosen or Sessions' own. A meter another host's factory made (two
    /// hosts in one process, as in the tests) is dropped too, so no host counts into another's <c>/metrics</c>.
    /// </summary>
    public static MetricStreamConfiguration? View(Instrument instrument, IMeterFactory hostMeterFactory)
    {
        if (instrument.Meter.Scope is { } scope && !ReferenceEquals(scope, hostMeterFactory))
            return MetricStreamConfiguration.Drop;
        if (instrument.Meter.Name == SessionsTelemetry.MeterName)
        {
            // The names prometheus-net wrote, meter first, which dashboards and alerts already use.
            var name = $"sessions_{instrument.Name}";
            return instrument is Histogram<double>
                ? new ExplicitBucketHistogramConfiguration { Name = name, Boundaries = SecondsBuckets }
                : new MetricStreamConfiguration { Name = name };
        }
        return Chosen.Contains((instrument.Meter.Name, instrument.Name)) ? null : MetricStreamConfiguration.Drop;
    }
}
