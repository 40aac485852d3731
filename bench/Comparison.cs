namespace Sessions.Bench;

/// <summary>
/// A row against its baseline, round by round: each ratio is taken between runs of the same round, so a busy round
/// moves both sides and mostly cancels. <see cref="AddedCpuUs"/> is the row's CPU per request minus the baseline's.
/// </summary>
internal sealed record Comparison(string BaselineKey, string BaselineName, bool Alternated, double[] RequestRatios, double[] CpuRatios, double[] AddedCpuUs)
{
    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    public double RequestRatio => Median(RequestRatios);

    public double CpuRatio => Median(CpuRatios);

    public double AddedCpu => Median(AddedCpuUs);
}
