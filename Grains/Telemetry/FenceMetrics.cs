using System.Diagnostics.Metrics;
using Sessions.Grains.Fencing;

namespace Sessions.Grains.Telemetry;

/// <summary>The fence's half of the <c>Sessions</c> meter: whether this silo is fenced, and what it refused because it was.</summary>
internal sealed class FenceMetrics
{
    private readonly Counter<long> _refused;

    public FenceMetrics(IMeterFactory meterFactory, SiloFence fence)
    {
        var meter = meterFactory.Create(SessionsTelemetry.MeterName);
        meter.CreateObservableGauge("silo_fenced", () => fence.IsFenced ? 1 : 0,
            description: "1 while this silo refuses grain decisions because it could not confirm its membership row as Active within the fence; else 0.");
        _refused = meter.CreateCounter<long>("silo_fenced_refusals",
            description: "Grain calls this silo refused (503 at the API) because it was fenced.");
    }

    public void Refused() => _refused.Add(1);
}
