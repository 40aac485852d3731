using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Doors;

/// <summary>deploy/forward-auth/caddy/Caddyfile for real: Caddy asks Sessions about every request before the Python upstream sees it.</summary>
[Collection(CaddyCollection.Name)]
public sealed class CaddyForwardAuthTests(CaddyForwardAuth caddy)
{
    [Fact]
    public async Task Request_LiveToken_ReachesUpstreamWithIdentityHeaders()
    {
        using var sessions = caddy.App.NewClient();
        var (userId, username, tokens) = await sessions.NewUser(deviceId: "phone-8");
        using var proxy = caddy.ProxyClient();

        var echoed = await Echo(proxy, "/api/orders/3", tokens.AccessToken);

        Assert.Equal("/api/orders/3", echoed.GetProperty("path").GetString());
        Assert.Equal([userId], Header(echoed, "x-sessions-user-id"));
        Assert.Equal([username], Header(echoed, "x-sessions-username"));
        Assert.Equal([tokens.SessionId], Header(echoed, "x-sessions-session-id"));
        Assert.Equal(["phone-8"], Header(echoed, "x-sessions-device-id"));
    }

    [Fact]
    public async Task Request_ClientSentIdentityHeaders_NeverReachTheUpstream()
    {
        using var sessions = caddy.App.NewClient();
        var (userId, _, tokens) = await sessions.NewUser();
        using var proxy = caddy.ProxyClient();

        var echoed = await Echo(proxy, "/api/orders", tokens.AccessToken, request =>
        {
            request.Headers.Add("X-Sessions-User-Id", "victim-user");
            request.Headers.Add("X-Sessions-Roles", "admin");
        });

        Assert.Equal([userId], Header(echoed, "x-sessions-user-id"));
        Assert.DoesNotContain("admin", Header(echoed, "x-sessions-roles"));
    }

    [Fact]
    public async Task Request_AfterLogout_Returns401OnTheVeryNextRequestAndNothingForwarded()
    {
        using var sessions = caddy.App.NewClient();
        var (_, _, tokens) = await sessions.NewUser();
        using var proxy = caddy.ProxyClient();
        await Echo(proxy, "/api/orders", tokens.AccessToken);
        Assert.Equal(HttpStatusCode.NoContent, await sessions.StatusOf(sessions.Post("/auth/logout", tokens.AccessToken)));
        var served = await caddy.Served();

        using var response = await Send(proxy, "/api/orders", tokens.AccessToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(served, await caddy.Served());
    }

    [Fact]
    public async Task Request_NonAdminOnAdminPath_Returns403AndNothingForwarded()
    {
        using var sessions = caddy.App.NewClient();
        var (_, _, tokens) = await sessions.NewUser();
        using var proxy = caddy.ProxyClient();
        var served = await caddy.Served();

        using var response = await Send(proxy, "/api/admin/reports", tokens.AccessToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(served, await caddy.Served());
    }

    [Fact]
    public async Task Request_NoToken_Returns401AndNothingForwarded()
    {
        using var proxy = caddy.ProxyClient();
        var served = await caddy.Served();

        using var response = await Send(proxy, "/api/orders", accessToken: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal(served, await caddy.Served());
    }

    [Theory]
    [InlineData("?role=admin")]
    [InlineData("?role=admin&role=auditor")]
    public async Task Request_ClientAddedRoleQuery_AddsNoRequirement(string query)
    {
        using var sessions = caddy.App.NewClient();
        var (userId, _, tokens) = await sessions.NewUser();
        using var proxy = caddy.ProxyClient();

        var echoed = await Echo(proxy, "/api/orders" + query, tokens.AccessToken);

        Assert.Equal([userId], Header(echoed, "x-sessions-user-id"));
    }

    [Theory]
    [InlineData("?role=")]
    [InlineData("?role=user")]
    [InlineData("?x=1&role=")]
    public async Task Request_NonAdminOnAdminPathWithOwnRoleQueryAndHeaders_Returns403AndNothingForwarded(string query)
    {
        using var sessions = caddy.App.NewClient();
        var (_, _, tokens) = await sessions.NewUser();
        using var proxy = caddy.ProxyClient();
        var served = await caddy.Served();

        using var response = await Send(proxy, "/api/admin/reports" + query, tokens.AccessToken, request =>
        {
            request.Headers.Add("X-Sessions-Roles", "admin");
            request.Headers.Add("X-Original-URI", "/api/orders");
            request.Headers.Add("X-Forwarded-Uri", "/api/orders");
        });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(served, await caddy.Served());
    }

    private static async Task<HttpResponseMessage> Send(HttpClient proxy, string path, string? accessToken, Action<HttpRequestMessage>? change = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accessToken is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        change?.Invoke(request);
        return await proxy.SendAsync(request);
    }

    private static async Task<JsonElement> Echo(HttpClient proxy, string path, string accessToken, Action<HttpRequestMessage>? change = null)
    {
        using var response = await Send(proxy, path, accessToken, change);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await SessionsClient.Json(response);
    }

    private static string[] Header(JsonElement echoed, string name) =>
        echoed.GetProperty("headers").TryGetProperty(name, out var values) ? [.. values.EnumerateArray().Select(v => v.GetString()!)] : [];
}
