namespace Sessions.Grains.Telemetry;

/// <summary>The <c>result</c> label of <c>sessions_refreshes</c>.</summary>
internal static class RefreshResults
{
    public const string Rotated = "rotated";
    public const string Replayed = "replayed";
    public const string Rejected = "rejected";
    public const string Reused = "reused";
}
