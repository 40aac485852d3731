namespace Sessions.Bench.Baselines;

public enum BaselineMode
{
    /// <summary>Signature and claims only: a revoked token is accepted until it expires.</summary>
    Stateless,

    /// <summary>Plus <c>EXISTS revoked:{jti}</c> in Redis per request.</summary>
    Redis,

    /// <summary>Plus <c>SELECT revoked FROM sessions WHERE sid = $1</c> in PostgreSQL per request.</summary>
    Postgres,

    /// <summary>
    /// No token validation at all: the upstream behind a door that has already decided (nginx <c>auth_request</c>,
    /// the gateway). It answers with the <c>X-Sessions-User-Id</c> the door set, so only the auth differs from A.
    /// </summary>
    Trusted,
}
