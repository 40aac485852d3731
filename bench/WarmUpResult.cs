namespace Sessions.Bench;

/// <summary>Seconds from the start of the process(es) to the first 200 on GET /me, and to steady throughput.</summary>
internal sealed record WarmUpResult(double FirstOkSeconds, double? SteadySeconds, double SteadyProbeRequestsPerSecond, string StartedWhat);
