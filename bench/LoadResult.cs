namespace Sessions.Bench;

/// <summary>One measured wrk run against a configuration, with the server's CPU and storage writes over the same window.</summary>
internal sealed record LoadResult(
    long Requests,
    double Seconds,
    double RequestsPerSecond,
    long Non2xx,
    long SocketErrors,
    double MeanMs,
    double P50Ms,
    double P99Ms,
    double P999Ms,
    double AppCpuUsPerRequest,
    double StoreCpuUsPerRequest,
    double MachineBusyPercent,
    double ServerBusyPercent,
    double BenchBusyPercent,
    double OthersBusyPercent,
    long? StorageWrites,
    double? StorageWritesPerRequest,
    IReadOnlyDictionary<string, double> CpuSecondsByProcess,
    IReadOnlyDictionary<string, double> RssMiBAfter)
{
    public double CpuUsPerRequest => AppCpuUsPerRequest + StoreCpuUsPerRequest;

    /// <summary>A round in which other work took more than this share of the machine is flagged in the report.</summary>
    public const double BusyFlagPercent = 20;
}
