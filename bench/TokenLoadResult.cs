namespace Sessions.Bench;

/// <summary>A closed-loop run of one grant type on <c>POST /oauth/token</c>: throughput, latency and what went wrong.</summary>
internal sealed record TokenLoadResult(
    string Grant,
    string Cost,
    int Workers,
    double Seconds,
    long Ok,
    double OkPerSecond,
    double P50Ms,
    double P99Ms,
    long Failures,
    long ReuseDetections,
    double AppCpuUsPerRequest,
    double MachineBusyPercent);
