using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Doors;

/// <summary>
/// The single-process service with one resource server and a small per-address budget of failed client
/// authentications; client addresses from <c>X-Forwarded-For</c>, so each test is an address of its own.
/// </summary>
public sealed class IntrospectionLimitApp() : SessionsApp(null, new Dictionary<string, string?>
{
    [$"Sessions:ResourceServers:{ResourceServerApp.ClientId}:Secret"] = ResourceServerApp.Secret,
    ["Sessions:RateLimit:TokenRequestsPerMinute"] = Budget.ToString(System.Globalization.CultureInfo.InvariantCulture),
    ["FORWARDEDHEADERS_ENABLED"] = "true",
})
{
    public const int Budget = 3;
}
