using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Doors;

/// <summary>The single-process service with one resource server allowed to introspect.</summary>
public sealed class ResourceServerApp() : SessionsApp(null, new Dictionary<string, string?>
{
    [$"Sessions:ResourceServers:{ClientId}:Secret"] = Secret,
})
{
    public const string ClientId = "orders-api";
    public const string Secret = "orders-api-secret-for-tests";
}
