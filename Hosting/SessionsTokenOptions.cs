namespace Sessions.Hosting;

/// <summary>
/// The token settings silos and API hosts share, from the <c>Sessions</c> section: the silo signs with them, the API
/// host verifies with them, so both must read the same values.
/// </summary>
public sealed class SessionsTokenOptions : ISettings
{
    public const string SectionName = "Sessions";

    /// <summary>Clock skew allowed on exp/nbf; the contract caps it at 30 s.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    /// <summary><c>iss</c> of every token; without it, the first of <c>urls</c> (see <see cref="SettingsServiceCollectionExtensions.AddTokenOptions"/>).</summary>
    public string? Issuer { get; set; }

    public string Audience { get; set; } = "sessions-api";

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long an API host trusts its copy of the public keys without hearing from the key ring.</summary>
    public TimeSpan KeyRingLease { get; set; } = TimeSpan.FromSeconds(10);

    public IEnumerable<string> Validate()
    {
        if (Issuer is { Length: > 0 } && !Uri.TryCreate(Issuer, UriKind.Absolute, out _))
            yield return "Sessions:Issuer must be an absolute URI.";
        if (string.IsNullOrWhiteSpace(Audience))
            yield return "Sessions:Audience must not be empty.";
        if (AccessTokenLifetime < TimeSpan.FromSeconds(30) || AccessTokenLifetime > TimeSpan.FromDays(1))
            yield return "Sessions:AccessTokenLifetime must be between 30 seconds and 1 day.";
        if (KeyRingLease < TimeSpan.FromMilliseconds(100) || KeyRingLease > TimeSpan.FromSeconds(20))
            yield return "Sessions:KeyRingLease must be between 100 ms and 20 s (a key change may wait out one lease inside a 30 s call).";
    }
}
