using System.Diagnostics.Metrics;

namespace Sessions.Grains.Telemetry;

/// <summary>
/// The silo's half of the <c>Sessions</c> meter: what the grains decide (logins, session endings, refreshes).
/// Labels are closed sets of reasons, never user or session ids, so the number of series stays fixed.
/// </summary>
internal sealed class GrainMetrics
{
    private readonly Counter<long> _loginsSucceeded;
    private readonly Counter<long> _loginFailures;
    private readonly Counter<long> _lockouts;
    private readonly Counter<long> _sessionsStarted;
    private readonly Counter<long> _sessionsEnded;
    private readonly Counter<long> _refreshes;
    private readonly Counter<long> _refreshReuse;

    public GrainMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(SessionsTelemetry.MeterName);
        _loginsSucceeded = meter.CreateCounter<long>("logins_succeeded", description: "Password logins that started a session.");
        _loginFailures = meter.CreateCounter<long>("login_failures",
            description: "Password logins refused, by reason: bad_password, unknown_user, disabled, locked_out.");
        _lockouts = meter.CreateCounter<long>("lockouts", description: "Accounts locked out after too many wrong passwords.");
        _sessionsStarted = meter.CreateCounter<long>("started", description: "Sessions started (one per successful login).");
        _sessionsEnded = meter.CreateCounter<long>("ended",
            description: "Sessions ended, by reason; idle and absolute expiry count when the grain notices them.");
        _refreshes = meter.CreateCounter<long>("refreshes",
            description: "Refresh-token grants that reached a user grain, by result: rotated, replayed (within the grace window), rejected, reused.");
        _refreshReuse = meter.CreateCounter<long>("refresh_reuse_detected",
            description: "Spent refresh tokens presented after the grace window: the session was ended as stolen.");
    }

    public void LoginSucceeded()
    {
        _loginsSucceeded.Add(1);
        _sessionsStarted.Add(1);
    }

    public void LoginFailed(string reason) => _loginFailures.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void LockedOut() => _lockouts.Add(1);

    public void SessionEnded(SessionEndReason reason) => _sessionsEnded.Add(1, new KeyValuePair<string, object?>("reason", reason.MetricLabel()));

    public void Refreshed(string result) => _refreshes.Add(1, new KeyValuePair<string, object?>("result", result));

    public void RefreshReused()
    {
        _refreshReuse.Add(1);
        Refreshed(RefreshResults.Reused);
    }
}
