using System.Diagnostics.Metrics;
using Microsoft.IdentityModel.Tokens;
using Sessions.Grains;

namespace Sessions.Api.Observability;

/// <summary>
/// The API host's half of the <c>Sessions</c> meter: what happens to bearer tokens on their way in, and how long the
/// per-request grain check takes. Labels are closed sets of reasons, never user, session or token ids.
/// </summary>
internal sealed class ApiMetrics
{
    private readonly Counter<long> _accepted;
    private readonly Counter<long> _rejected;
    private readonly Histogram<double> _checkDuration;

    public ApiMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(SessionsTelemetry.MeterName);
        _accepted = meter.CreateCounter<long>("access_tokens_accepted",
            description: "Requests whose access token verified and whose session its user grain found live.");
        _rejected = meter.CreateCounter<long>("access_tokens_rejected",
            description: "Requests whose bearer token was refused, by reason (see the README).");
        _checkDuration = meter.CreateHistogram<double>("access_check_duration_seconds", unit: "s",
            description: "The per-request CheckAccess grain call, as this API host times it (answered calls only).");
    }

    public void Accepted() => _accepted.Add(1);

    public void Rejected(string reason) => _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void CheckAnswered(TimeSpan elapsed) => _checkDuration.Record(elapsed.TotalSeconds);

    /// <summary>The rejection reason of a token that failed JwtBearer's own checks.</summary>
    public static string ReasonOf(Exception failure) => failure switch
    {
        // Expired and not-yet-valid tokens both derive from this.
        SecurityTokenInvalidLifetimeException => "expired",
        // Before its base class, the invalid signature.
        SecurityTokenSignatureKeyNotFoundException => "unknown_key",
        SecurityTokenInvalidSignatureException => "bad_signature",
        SecurityTokenMalformedException or ArgumentException => "malformed",
        _ => "invalid_claims",
    };

    public const string MissingClaims = "missing_claims";
    public const string ClusterUnavailable = "cluster_unavailable";
}
