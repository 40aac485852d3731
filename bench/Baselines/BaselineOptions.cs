namespace Sessions.Bench.Baselines;

/// <summary>The <c>Baseline</c> section; the bench passes it as environment variables (<c>Baseline__Mode=Redis</c>).</summary>
public sealed class BaselineOptions
{
    public const string SectionName = "Baseline";

    public BaselineMode Mode { get; set; } = BaselineMode.Stateless;

    /// <summary>A copy of Sessions' <c>/.well-known/jwks.json</c>.</summary>
    public string? JwksFile { get; set; }

    public string? Issuer { get; set; }

    public string Audience { get; set; } = "sessions-api";

    /// <summary>StackExchange.Redis configuration string, for <see cref="BaselineMode.Redis"/>.</summary>
    public string? Redis { get; set; }

    /// <summary>Npgsql connection string, for <see cref="BaselineMode.Postgres"/>.</summary>
    public string? Postgres { get; set; }

    public void ThrowIfInvalid()
    {
        if (Mode == BaselineMode.Trusted)
            return;
        if (string.IsNullOrEmpty(JwksFile) || !File.Exists(JwksFile))
            throw new InvalidOperationException("Baseline:JwksFile must name an existing JWKS file.");
        if (string.IsNullOrEmpty(Issuer))
            throw new InvalidOperationException("Baseline:Issuer is required.");
        if (Mode == BaselineMode.Redis && string.IsNullOrEmpty(Redis))
            throw new InvalidOperationException("Baseline:Redis is required with Mode=Redis.");
        if (Mode == BaselineMode.Postgres && string.IsNullOrEmpty(Postgres))
            throw new InvalidOperationException("Baseline:Postgres is required with Mode=Postgres.");
    }
}
