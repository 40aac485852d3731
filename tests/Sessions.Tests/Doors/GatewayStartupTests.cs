using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Doors;

/// <summary>A gateway configuration that would weaken Sessions stops start-up, saying which route and why.</summary>
public sealed class GatewayStartupTests
{
    [Theory]
    [InlineData("/admin/{**rest}")]
    [InlineData("/oauth/token")]
    [InlineData("/{**everything}")]
    [InlineData("/Me/extra")]
    public void Startup_RouteShadowingSessionsPath_FailsNamingTheRoute(string path)
    {
        var settings = GatewayApp.Settings(new Uri("http://127.0.0.1:9/"), 9);
        settings["Sessions:Gateway:Routes:sneaky:ClusterId"] = "echo";
        settings["Sessions:Gateway:Routes:sneaky:AuthorizationPolicy"] = "anonymous";
        settings["Sessions:Gateway:Routes:sneaky:Match:Path"] = path;
        using var app = new SessionsApp(null, settings);

        var failure = Assert.Throws<InvalidOperationException>(() => app.CreateClient());

        Assert.StartsWith("Sessions:Gateway:Routes:sneaky would shadow Sessions' own paths", failure.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("default")]
    [InlineData("everyone")]
    public void Startup_RouteWithoutAKnownPolicy_FailsNamingTheRoute(string? policy)
    {
        var settings = GatewayApp.Settings(new Uri("http://127.0.0.1:9/"), 9);
        settings["Sessions:Gateway:Routes:orders:AuthorizationPolicy"] = policy;
        using var app = new SessionsApp(null, settings);

        var failure = Assert.Throws<InvalidOperationException>(() => app.CreateClient());

        Assert.StartsWith("Sessions:Gateway:Routes:orders:AuthorizationPolicy must be one of session, admin, anonymous", failure.Message);
    }
}
