using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Doors;

/// <summary>
/// A reload of <c>Sessions:Gateway</c> at run time is held to the start-up rules: good routes go live with the same
/// checks and header handling, a bad configuration is refused whole and the previous one keeps serving.
/// </summary>
[Collection(GatewayReloadCollection.Name)]
public sealed class GatewayReloadTests(GatewayReloadApp gateway)
{
    private const int RouteRefused = 1401;
    private static readonly TimeSpan ReloadWithin = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Reload_NewSessionRoute_ForwardsWithSessionsIdentityHeaders()
    {
        using var sessions = gateway.App.NewClient();
        var (userId, _, tokens) = await sessions.NewUser();
        using var http = gateway.Client();
        var id = NewRouteId();

        gateway.Reload((id, "session", $"/{id}/{{**rest}}"));

        var echoed = await EchoOnceLive(http, $"/{id}/orders", tokens.AccessToken, request =>
        {
            request.Headers.Add("X-Sessions-User-Id", "victim-user");
            request.Headers.Add("X-Sessions-Roles", "admin");
        });
        Assert.Equal([userId], Header(echoed, "x-sessions-user-id"));
        Assert.Equal([""], Header(echoed, "x-sessions-roles"));
    }

    [Fact]
    public async Task Reload_NewSessionRoute_Returns401WithoutTokenAndNothingForwarded()
    {
        using var sessions = gateway.App.NewClient();
        var (_, _, tokens) = await sessions.NewUser();
        using var http = gateway.Client();
        var id = NewRouteId();
        gateway.Reload((id, "session", $"/{id}/{{**rest}}"));
        await EchoOnceLive(http, $"/{id}/orders", tokens.AccessToken);
        var served = gateway.Upstream.Served;

        using var response = await Send(http, $"/{id}/orders", accessToken: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(served, gateway.Upstream.Served);
    }

    [Fact]
    public async Task Reload_NewAdminRoute_Returns403ForNonAdminAndNothingForwarded()
    {
        using var sessions = gateway.App.NewClient();
        var (_, _, tokens) = await sessions.NewUser();
        var admin = await sessions.AdminLogin();
        using var http = gateway.Client();
        var id = NewRouteId();
        gateway.Reload((id, "admin", $"/{id}/{{**rest}}"));
        await EchoOnceLive(http, $"/{id}/q3", admin.AccessToken);
        var served = gateway.Upstream.Served;

        using var response = await Send(http, $"/{id}/q3", tokens.AccessToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(served, gateway.Upstream.Served);
    }

    [Fact]
    public async Task Reload_NewAnonymousRoute_RemovesClientSentIdentityHeaders()
    {
        using var http = gateway.Client();
        var id = NewRouteId();

        gateway.Reload((id, "anonymous", $"/{id}/{{**rest}}"));

        var echoed = await EchoOnceLive(http, $"/{id}/prices", accessToken: null, request =>
        {
            request.Headers.Add("X-Sessions-User-Id", "victim-user");
            request.Headers.Add("X_Sessions_Roles", "admin");
        });
        Assert.Empty(Header(echoed, "x-sessions-user-id"));
        Assert.Empty(Header(echoed, "x_sessions_roles"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("default")]
    [InlineData("everyone")]
    public async Task Reload_RouteWithoutAKnownPolicy_IsRefusedAndThePreviousConfigurationStays(string? policy)
    {
        using var sessions = gateway.App.NewClient();
        var (_, _, tokens) = await sessions.NewUser();
        using var http = gateway.Client();
        var (good, bad) = (NewRouteId(), NewRouteId());

        gateway.Reload((good, "session", $"/{good}/{{**rest}}"), (bad, policy, $"/{bad}/{{**rest}}"));

        await RefusalLogged(bad);
        Assert.Equal(HttpStatusCode.NotFound, (await Send(http, $"/{good}/orders", tokens.AccessToken)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Send(http, $"/{bad}/orders", tokens.AccessToken)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Send(http, "/start/orders", tokens.AccessToken)).StatusCode);
    }

    [Theory]
    [InlineData("/me/{**rest}")]
    [InlineData("/oauth/token")]
    [InlineData("/{**everything}")]
    [InlineData("/Auth/check")]
    public async Task Reload_RouteShadowingSessionsPath_IsRefusedAndSessionsKeepsItsPaths(string path)
    {
        using var sessions = gateway.App.NewClient();
        var (userId, _, tokens) = await sessions.NewUser();
        using var http = gateway.Client();
        var (good, bad) = (NewRouteId(), NewRouteId());

        gateway.Reload((good, "session", $"/{good}/{{**rest}}"), (bad, "anonymous", path));

        await RefusalLogged(bad);
        var served = gateway.Upstream.Served;
        using var me = await Send(http, "/me", tokens.AccessToken);
        Assert.Equal(userId, (await SessionsClient.Json(me)).GetProperty("userId").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await Send(http, $"/{good}/orders", tokens.AccessToken)).StatusCode);
        Assert.Equal(served, gateway.Upstream.Served);
    }

    private static string NewRouteId() => "r" + Guid.NewGuid().ToString("N")[..12];

    private Task RefusalLogged(string routeId) => Eventually.Succeeds(
        () => Task.FromResult(gateway.Logs.GetSnapshot().Any(log => log.Id.Id == RouteRefused && log.Message.Contains(routeId, StringComparison.Ordinal))),
        ReloadWithin, $"the gateway refuses route {routeId}");

    // Polls until the reloaded route answers 200 (before the reload is applied it is Sessions' 404), then echoes.
    private static async Task<JsonElement> EchoOnceLive(HttpClient http, string path, string? accessToken, Action<HttpRequestMessage>? change = null)
    {
        JsonElement echoed = default;
        await Eventually.Succeeds(async () =>
        {
            using var response = await Send(http, path, accessToken, change);
            if (response.StatusCode != HttpStatusCode.OK)
                return false;
            echoed = await SessionsClient.Json(response);
            return true;
        }, ReloadWithin, $"the reloaded route {path} goes live");
        return echoed;
    }

    private static async Task<HttpResponseMessage> Send(HttpClient http, string path, string? accessToken, Action<HttpRequestMessage>? change = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accessToken is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        change?.Invoke(request);
        return await http.SendAsync(request);
    }

    private static string[] Header(JsonElement echoed, string name) =>
        echoed.GetProperty("headers").TryGetProperty(name, out var values) ? [.. values.EnumerateArray().Select(v => v.GetString()!)] : [];
}
