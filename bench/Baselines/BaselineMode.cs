namespace Sessions.Bench.Baselines;

public enum BaselineMode
{
    /// <summary>Signature and claims only: a revoked token is accepted until it expires.</summary>
    Stateless,

    /// <summary>Plus <c>EXISTS revoked:{jti}</c> in Redis per request.</summary>
    Redis,

    /// <summary>Plus <c>SELECT revoked FROM sessions WHERE sid = $1</c> in PostgreSQL per request.</summary>
    Postgres,
}
