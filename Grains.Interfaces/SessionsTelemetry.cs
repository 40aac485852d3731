namespace Sessions.Grains;

/// <summary>Names operators route and scrape by; silos and API hosts share them.</summary>
public static class SessionsTelemetry
{
    /// <summary>The <see cref="System.Diagnostics.Metrics.Meter"/> of both the grains and the API; exported as <c>sessions_*</c>.</summary>
    public const string MeterName = "Sessions";

    /// <summary>The logger category of every security event, so it can be routed to an audit sink of its own.</summary>
    public const string AuditCategory = "Sessions.Audit";
}
