namespace Sessions.Bench;

/// <summary>
/// The victim's requests during a loaded run: how many were sent after the revocation call returned, and how many of
/// those still got 200 (must be 0 where revocation is checked per request).
/// </summary>
internal sealed record RevocationResult(string Mechanism, double RevokeCallMs, int RequestsBefore, int RequestsAfter, int OkAfter,
    double? FirstRejectionAfterMs);
