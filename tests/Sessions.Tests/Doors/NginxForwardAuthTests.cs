using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Orleans.Runtime;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Doors;

/// <summary>deploy/forward-auth/nginx for real: nginx asks Sessions about every request before the Python upstream sees it.</summary>
[Collection(NginxCollection.Name)]
public sealed class NginxForwardAuthTests(NginxForwardAuth nginx)
{
    [Fact]
    public async Task Request_LiveToken_ReachesUpstreamWithIdentityHeaders()
    {
        using var sessions = nginx.Sessions();
        var (userId, username, tokens) = await sessions.NewUser(deviceId: "phone-7");
        using var proxy = nginx.ProxyClient();

        var echoed = await Echo(proxy, HttpMethod.Get, "/orders/17", tokens.AccessToken);

        Assert.Equal("/orders/17", echoed.GetProperty("path").GetString());
        Assert.Equal([userId], Header(echoed, "x-sessions-user-id"));
        Assert.Equal([username], Header(echoed, "x-sessions-username"));
        Assert.Equal([tokens.SessionId], Header(echoed, "x-sessions-session-id"));
        Assert.Equal(["phone-7"], Header(echoed, "x-sessions-device-id"));
        Assert.Equal(["Bearer " + tokens.AccessToken], Header(echoed, "authorization"));
    }

    [Fact]
    public async Task Request_ClientSentIdentityHeaders_AreReplacedOrDropped()
    {
        using var sessions = nginx.Sessions();
        var (userId, _, tokens) = await sessions.NewUser();
        using var proxy = nginx.ProxyClient();

        var echoed = await Echo(proxy, HttpMethod.Post, "/orders", tokens.AccessToken, request =>
        {
            request.Headers.Add("X-Sessions-User-Id", "victim-user");
            request.Headers.Add("X-Sessions-Roles", "admin");
        });

        Assert.Equal([userId], Header(echoed, "x-sessions-user-id"));
        // The user has no roles: Sessions' empty value drops the header rather than leave the client's.
        Assert.Empty(Header(echoed, "x-sessions-roles"));
    }

    [Fact]
    public async Task Request_AdminOnAdminLocation_ReachesUpstreamWithRoles()
    {
        using var sessions = nginx.Sessions();
        var admin = await sessions.AdminLogin();
        using var proxy = nginx.ProxyClient();

        var echoed = await Echo(proxy, HttpMethod.Get, "/admin/reports", admin.AccessToken);

        Assert.Equal(["admin"], Header(echoed, "x-sessions-roles"));
    }

    [Fact]
    public async Task Request_NonAdminOnAdminLocation_Returns403AndNothingForwarded()
    {
        using var sessions = nginx.Sessions();
        var (_, _, tokens) = await sessions.NewUser();
        using var proxy = nginx.ProxyClient();
        var served = await nginx.Served();

        using var response = await Send(proxy, HttpMethod.Get, "/admin/reports", tokens.AccessToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(served, await nginx.Served());
    }

    [Fact]
    public async Task Request_NoToken_Returns401WithBearerChallengeAndNothingForwarded()
    {
        using var proxy = nginx.ProxyClient();
        var served = await nginx.Served();

        using var response = await Send(proxy, HttpMethod.Get, "/orders", accessToken: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal(served, await nginx.Served());
    }

    [Fact]
    public async Task Request_AfterAdminRevokedTheUser_Returns401OnTheVeryNextRequest()
    {
        using var sessions = nginx.Sessions();
        var admin = await sessions.AdminLogin();
        var (userId, _, tokens) = await sessions.NewUser();
        using var proxy = nginx.ProxyClient();
        await Echo(proxy, HttpMethod.Get, "/orders", tokens.AccessToken);
        Assert.Equal(HttpStatusCode.NoContent, await sessions.StatusOf(sessions.Post($"/admin/users/{userId}/revoke", admin.AccessToken)));
        var served = await nginx.Served();

        using var response = await Send(proxy, HttpMethod.Get, "/orders", tokens.AccessToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("Bearer error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal(served, await nginx.Served());
    }

    [Fact]
    public async Task Request_ClusterCannotAnswer_Returns503WithRetryAfterAndNothingForwarded()
    {
        using var sessions = nginx.Sessions();
        var (_, _, tokens) = await sessions.NewUser();
        using var proxy = nginx.ProxyClient();
        var served = await nginx.Served();
        HttpStatusCode status;
        RetryConditionHeaderValue? retryAfter;
        // The user's grain must come back from storage, and storage cannot answer.
        await nginx.App.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        nginx.App.Storage!.ReadsFailing = true;
        try
        {
            using var response = await Send(proxy, HttpMethod.Get, "/orders", tokens.AccessToken);
            (status, retryAfter) = (response.StatusCode, response.Headers.RetryAfter);
        }
        finally
        {
            nginx.App.Storage.ReadsFailing = false;
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal(TimeSpan.FromSeconds(2), retryAfter?.Delta);
        Assert.Equal(served, await nginx.Served());
    }

    [Theory]
    [InlineData("?role=admin")]
    [InlineData("?role=admin&role=auditor")]
    public async Task Request_ClientAddedRoleQuery_AddsNoRequirement(string query)
    {
        using var sessions = nginx.Sessions();
        var (userId, _, tokens) = await sessions.NewUser();
        using var proxy = nginx.ProxyClient();

        var echoed = await Echo(proxy, HttpMethod.Get, "/orders" + query, tokens.AccessToken);

        Assert.Equal([userId], Header(echoed, "x-sessions-user-id"));
    }

    [Theory]
    [InlineData("?role=")]
    [InlineData("?role=user")]
    [InlineData("?x=1&role=")]
    public async Task Request_NonAdminOnAdminPathWithOwnRoleQueryAndHeaders_Returns403AndNothingForwarded(string query)
    {
        using var sessions = nginx.Sessions();
        var (_, _, tokens) = await sessions.NewUser();
        using var proxy = nginx.ProxyClient();
        var served = await nginx.Served();

        using var response = await Send(proxy, HttpMethod.Get, "/admin/reports" + query, tokens.AccessToken, request =>
        {
            request.Headers.Add("X-Sessions-Roles", "admin");
            request.Headers.Add("X-Original-URI", "/orders");
            request.Headers.Add("X-Forwarded-Uri", "/orders");
        });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(served, await nginx.Served());
    }

    private static async Task<HttpResponseMessage> Send(HttpClient proxy, HttpMethod method, string path, string? accessToken,
        Action<HttpRequestMessage>? change = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (accessToken is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        change?.Invoke(request);
        return await proxy.SendAsync(request);
    }

    private static async Task<JsonElement> Echo(HttpClient proxy, HttpMethod method, string path, string accessToken, Action<HttpRequestMessage>? change = null)
    {
        using var response = await Send(proxy, method, path, accessToken, change);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await SessionsClient.Json(response);
    }

    private static string[] Header(JsonElement echoed, string name) =>
        echoed.GetProperty("headers").TryGetProperty(name, out var values) ? [.. values.EnumerateArray().Select(v => v.GetString()!)] : [];
}
