using Microsoft.Extensions.Configuration;

namespace Sessions.Hosting;

/// <summary>
/// Every key under <c>Sessions</c> and <c>Cluster</c> that some part of Sessions reads, so that a misspelt one stops
/// start-up with its name instead of being silently ignored (a typo in <c>Sessions:IdleTimeout</c> would otherwise
/// leave the default in force). One list for both hosts: deployments hand silos and API hosts the same variables, so
/// each host accepts the other's keys. Options types bind their own values; this only knows the names.
/// </summary>
public static class KnownSettings
{
    /// <summary>
    /// The keys, matched without regard to case. <c>*</c> is one segment of any name (a client id, an array index);
    /// a trailing <c>**</c> hands everything below to another schema (YARP's routes, Orleans' options).
    /// </summary>
    public static readonly IReadOnlyList<string> Keys =
    [
        // Shared by silos and API hosts: SessionsTokenOptions.
        "Sessions:Issuer", "Sessions:Audience", "Sessions:AccessTokenLifetime", "Sessions:KeyRingLease",
        // Silos: SessionsSiloOptions.
        "Sessions:IdleTimeout", "Sessions:AbsoluteLifetime", "Sessions:MaxSessionsPerUser", "Sessions:RefreshReuseGrace",
        "Sessions:BootstrapAdmin:Username", "Sessions:BootstrapAdmin:Password",
        "Sessions:Lockout:MaxFailures", "Sessions:Lockout:Duration",
        "Sessions:PasswordHashing:MemoryKiB", "Sessions:PasswordHashing:Passes",
        "Sessions:PasswordHashing:MaxConcurrent", "Sessions:PasswordHashing:MaxQueued",
        // The PBKDF2 cost Argon2id replaced: no longer read, still accepted so that older deployments start.
        "Sessions:PasswordHashing:Iterations",
        "Sessions:Storage:Timeout", "Sessions:Storage:BreakDuration",
        "Sessions:DataDirectory", "Sessions:ServeApi", "Sessions:Dashboard:Enabled", "Sessions:Dashboard:HideTrace",
        "Sessions:DataProtection:Certificate:Path", "Sessions:DataProtection:Certificate:Password",
        "Sessions:DataProtection:PreviousCertificates:*:Path", "Sessions:DataProtection:PreviousCertificates:*:Password",
        // API hosts: SessionsApiOptions and the doors' own sections.
        "Sessions:AllowRegistration", "Sessions:RateLimit:TokenRequestsPerMinute", "Sessions:VerifiedTokenCacheSize",
        "Sessions:ApiReference",
        "Sessions:ResourceServers:*:Secret",
        "Sessions:Gateway:**",
        // Both hosts: metrics, traces and the management port.
        "Sessions:Telemetry:OtlpEndpoint", "Sessions:Telemetry:Traces", "Sessions:Telemetry:TraceSampleRatio", "Sessions:Telemetry:Metrics",
        "Sessions:Management:Port",
        // ClusterSettings, and the silo's fence; Membership and Directory are Orleans' own options.
        "Cluster:Provider", "Cluster:ClusterId", "Cluster:ServiceId", "Cluster:AdvertisedIP",
        "Cluster:SiloPort", "Cluster:GatewayPort", "Cluster:GatewayListRefreshPeriod",
        "Cluster:Fence:Duration", "Cluster:Fence:DeadSiloLease",
        "Cluster:Membership:**", "Cluster:Directory:**",
    ];

    private static readonly string[] Sections = ["Sessions", "Cluster"];

    /// <summary>Stops start-up, naming each key under <c>Sessions</c> or <c>Cluster</c> that nothing reads.</summary>
    public static void RejectUnknown(IConfiguration configuration)
    {
        var unknown = Unknown(configuration).ToList();
        if (unknown.Count > 0)
            throw new InvalidOperationException(string.Join(Environment.NewLine, unknown.Select(key =>
                $"{key} is not a setting of Sessions (misspelt? README, \"Configuration\", lists them).")));
    }

    /// <summary>
    /// The settings under <c>Sessions</c> or <c>Cluster</c> that no entry of <see cref="Keys"/> matches, in order. Only
    /// leaves are judged: a section that has keys below it is their parent, whatever value a provider gives it.
    /// </summary>
    public static IEnumerable<string> Unknown(IConfiguration configuration)
    {
        var keys = Sections
            .SelectMany(section => configuration.GetSection(section).AsEnumerable())
            .Where(pair => pair.Value is not null)
            .Select(pair => pair.Key)
            .ToList();
        return keys
            .Where(key => !Sections.Contains(key, StringComparer.OrdinalIgnoreCase)
                && !keys.Any(other => other.StartsWith(key + ConfigurationPath.KeyDelimiter, StringComparison.OrdinalIgnoreCase))
                && !IsKnown(key))
            .Order(StringComparer.OrdinalIgnoreCase);
    }

    public static bool IsKnown(string key)
    {
        var segments = key.Split(ConfigurationPath.KeyDelimiter);
        return Keys.Any(pattern => Matches(pattern.Split(ConfigurationPath.KeyDelimiter), segments));
    }

    private static bool Matches(string[] pattern, string[] segments)
    {
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == "**")
                return segments.Length > i;
            if (i >= segments.Length || (pattern[i] != "*" && !string.Equals(pattern[i], segments[i], StringComparison.OrdinalIgnoreCase)))
                return false;
        }
        return segments.Length == pattern.Length;
    }
}
