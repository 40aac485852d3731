using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Orleans.Runtime;
using Sessions.Grains;
using Sessions.Tests.Infrastructure;
using Sessions.Tests.Security;

namespace Sessions.Tests.Doors;

/// <summary>The YARP gateway: Sessions' decision in front of a real upstream on loopback.</summary>
[Collection(GatewayCollection.Name)]
public sealed class GatewayTests(GatewayApp gateway)
{
    [Fact]
    public async Task SessionRoute_LiveToken_ForwardsWithIdentityHeadersAndAuthorization()
    {
        using var sessions = gateway.App.NewClient();
        var (userId, username, tokens) = await sessions.NewUser(deviceId: "desk");
        using var http = gateway.Client();

        var echoed = await Echo(http, "/api/orders/5", tokens.AccessToken);

        Assert.Equal("/api/orders/5", echoed.GetProperty("path").GetString());
        Assert.Equal([userId], Header(echoed, "x-sessions-user-id"));
        Assert.Equal([username], Header(echoed, "x-sessions-username"));
        Assert.Equal([tokens.SessionId], Header(echoed, "x-sessions-session-id"));
        Assert.Equal(["desk"], Header(echoed, "x-sessions-device-id"));
        Assert.Equal([""], Header(echoed, "x-sessions-roles"));
        Assert.Equal(["Bearer " + tokens.AccessToken], Header(echoed, "authorization"));
    }

    [Fact]
    public async Task SessionRoute_NoToken_Returns401AndNothingForwarded()
    {
        using var http = gateway.Client();
        var served = gateway.Upstream.Served;

        using var response = await http.GetAsync("/api/orders");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal(served, gateway.Upstream.Served);
    }

    [Fact]
    public async Task SessionRoute_AfterLogout_Returns401OnTheVeryNextRequest()
    {
        using var sessions = gateway.App.NewClient();
        var (_, _, tokens) = await sessions.NewUser();
        using var http = gateway.Client();
        await Echo(http, "/api/orders", tokens.AccessToken);
        Assert.Equal(HttpStatusCode.NoContent, await sessions.StatusOf(sessions.Post("/auth/logout", tokens.AccessToken)));
        var served = gateway.Upstream.Served;

        using var response = await Send(http, "/api/orders", tokens.AccessToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(served, gateway.Upstream.Served);
    }

    [Fact]
    public async Task AdminRoute_NonAdmin_Returns403AndNothingForwarded()
    {
        using var sessions = gateway.App.NewClient();
        var (_, _, tokens) = await sessions.NewUser();
        using var http = gateway.Client();
        var served = gateway.Upstream.Served;

        using var response = await Send(http, "/reports/q3", tokens.AccessToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(served, gateway.Upstream.Served);
    }

    [Fact]
    public async Task AdminRoute_Admin_ForwardsWithRoles()
    {
        using var sessions = gateway.App.NewClient();
        var admin = await sessions.AdminLogin();
        using var http = gateway.Client();

        var echoed = await Echo(http, "/reports/q3", admin.AccessToken);

        Assert.Equal(["admin"], Header(echoed, "x-sessions-roles"));
    }

    [Fact]
    public async Task SessionRoute_ClientSentIdentityHeaders_AreReplaced()
    {
        using var sessions = gateway.App.NewClient();
        var (userId, _, tokens) = await sessions.NewUser();
        using var http = gateway.Client();

        var echoed = await Echo(http, "/api/orders", tokens.AccessToken, request =>
        {
            request.Headers.Add("X-Sessions-User-Id", "victim-user");
            request.Headers.Add("X-Sessions-Roles", "admin");
            request.Headers.Add("X-Sessions-Anything", "made-up");
        });

        Assert.Equal([userId], Header(echoed, "x-sessions-user-id"));
        Assert.Equal([""], Header(echoed, "x-sessions-roles"));
        Assert.Empty(Header(echoed, "x-sessions-anything"));
    }

    [Fact]
    public async Task SessionRoute_ClientTraceContextWithTracesOff_ReachesTheUpstreamUnchanged()
    {
        using var sessions = gateway.App.NewClient();
        var (_, _, tokens) = await sessions.NewUser();
        using var http = gateway.Client();

        var echoed = await Echo(http, "/api/orders", tokens.AccessToken, request =>
            request.Headers.Add("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));

        Assert.Equal(["00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"], Header(echoed, "traceparent"));
    }

    [Fact]
    public async Task SessionRoute_IdentityHeaderSentTwice_EveryValueIsReplaced()
    {
        using var sessions = gateway.App.NewClient();
        var (userId, _, tokens) = await sessions.NewUser();
        using var http = gateway.Client();

        var echoed = await Echo(http, "/api/orders", tokens.AccessToken, request =>
        {
            request.Headers.Add("X-Sessions-User-Id", ["victim-user", "other-victim"]);
            request.Headers.Add("x-sessions-user-id", "third-victim");
        });

        Assert.Equal([userId], Header(echoed, "x-sessions-user-id"));
    }

    [Fact]
    public async Task AnonymousRoute_ClientSentIdentityHeaders_AreRemoved()
    {
        using var http = gateway.Client();

        var echoed = await Echo(http, "/public/prices", accessToken: null, request =>
        {
            request.Headers.Add("X-Sessions-User-Id", "victim-user");
            request.Headers.Add("x-sessions-roles", "admin");
        });

        Assert.Empty(Header(echoed, "x-sessions-user-id"));
        Assert.Empty(Header(echoed, "x-sessions-roles"));
    }

    [Fact]
    public async Task AnonymousRoute_UnderscoreSpellingsOfIdentityHeaders_AreRemoved()
    {
        using var http = gateway.Client();

        // CGI-style upstreams read X_Sessions_User_Id as X-Sessions-User-Id.
        var echoed = await Echo(http, "/public/prices", accessToken: null, request =>
        {
            request.Headers.Add("X_Sessions_User_Id", "victim-user");
            request.Headers.Add("X-Sessions_Roles", "admin");
        });

        Assert.Empty(Header(echoed, "x_sessions_user_id"));
        Assert.Empty(Header(echoed, "x-sessions_roles"));
    }

    [Fact]
    public async Task SessionRoute_WebSocket_PassesThroughBothWays()
    {
        using var sessions = gateway.App.NewClient();
        var (_, _, tokens) = await sessions.NewUser();
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "Bearer " + tokens.AccessToken);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await socket.ConnectAsync(new Uri($"ws://{gateway.Address.Authority}/api/stream"), timeout.Token);

        await socket.SendAsync(Encoding.UTF8.GetBytes("ping over the gateway"), WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
        var buffer = new byte[1024];
        var received = await socket.ReceiveAsync(buffer, timeout.Token);

        Assert.Equal("ping over the gateway", Encoding.UTF8.GetString(buffer, 0, received.Count));
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
    }

    [Fact]
    public async Task SessionRoute_WebSocketWithoutToken_IsRefused()
    {
        using var socket = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var failure = await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(new Uri($"ws://{gateway.Address.Authority}/api/stream"), timeout.Token));

        Assert.Contains("401", failure.Message);
    }

    [Fact]
    public async Task UpstreamDown_Returns502()
    {
        using var sessions = gateway.App.NewClient();
        var (_, _, tokens) = await sessions.NewUser();
        using var http = gateway.Client();

        using var response = await Send(http, "/down/anything", tokens.AccessToken);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
    }

    [Fact]
    public async Task UpstreamDown_ChecksTheSessionOnce()
    {
        using var sessions = gateway.App.NewClient();
        var (userId, _, tokens) = await sessions.NewUser();
        using var http = gateway.Client();
        var checks = ChecksOf(userId);

        using var response = await Send(http, "/down/anything", tokens.AccessToken);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(checks + 1, ChecksOf(userId));
    }

    [Fact]
    public async Task UpstreamNeverAnswers_Returns504()
    {
        using var sessions = gateway.App.NewClient();
        var (_, _, tokens) = await sessions.NewUser();
        using var http = gateway.Client();

        using var response = await Send(http, "/slow/anything", tokens.AccessToken);

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
    }

    [Fact]
    public async Task UpstreamNeverAnswers_ChecksTheSessionOnce()
    {
        using var sessions = gateway.App.NewClient();
        var (userId, _, tokens) = await sessions.NewUser();
        using var http = gateway.Client();
        var checks = ChecksOf(userId);

        using var response = await Send(http, "/slow/anything", tokens.AccessToken);

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal(checks + 1, ChecksOf(userId));
    }

    [Fact]
    public async Task SessionRoute_Forwarded_ChecksTheSessionOnce()
    {
        using var sessions = gateway.App.NewClient();
        var (userId, _, tokens) = await sessions.NewUser();
        using var http = gateway.Client();
        var checks = ChecksOf(userId);

        await Echo(http, "/api/orders", tokens.AccessToken);

        Assert.Equal(checks + 1, ChecksOf(userId));
    }

    [Fact]
    public async Task SessionRoute_Head_ReachesTheUpstreamAsHead()
    {
        using var sessions = gateway.App.NewClient();
        var (_, _, tokens) = await sessions.NewUser();
        using var http = gateway.Client();

        using var response = await Send(http, "/api/orders", tokens.AccessToken, request => request.Method = HttpMethod.Head);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["HEAD"], response.Headers.GetValues("X-Upstream-Method"));
    }

    [Fact]
    public async Task SessionRoute_HeadWithoutToken_Returns401AndNothingForwarded()
    {
        using var http = gateway.Client();
        var served = gateway.Upstream.Served;

        using var response = await Send(http, "/api/orders", accessToken: null, request => request.Method = HttpMethod.Head);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(served, gateway.Upstream.Served);
    }

    [Fact]
    public async Task SessionsOwnGetEndpoint_Head_AnsweredBySessionsWithoutBody()
    {
        using var sessions = gateway.App.NewClient();
        var (_, _, tokens) = await sessions.NewUser();
        using var http = gateway.Client();
        var served = gateway.Upstream.Served;

        using var response = await Send(http, "/me", tokens.AccessToken, request => request.Method = HttpMethod.Head);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(served, gateway.Upstream.Served);
    }

    [Fact]
    public async Task SessionsOwnPaths_StillServedBySessions()
    {
        using var sessions = gateway.App.NewClient();
        var (userId, _, tokens) = await sessions.NewUser();
        using var http = gateway.Client();
        var served = gateway.Upstream.Served;

        using var response = await Send(http, "/me", tokens.AccessToken);

        Assert.Equal(userId, (await SessionsClient.Json(response)).GetProperty("userId").GetString());
        Assert.Equal(served, gateway.Upstream.Served);
    }

    [Fact]
    public async Task SessionRoute_DuplicateAuthorizationHeaders_Returns401AndNothingForwarded()
    {
        using var sessions = gateway.App.NewClient();
        var (_, _, tokens) = await sessions.NewUser();
        using var http = gateway.Client();
        var served = gateway.Upstream.Served;

        using var response = await Send(http, "/api/orders", accessToken: null, request =>
            request.Headers.TryAddWithoutValidation("Authorization", ["Bearer " + tokens.AccessToken, "Bearer " + tokens.AccessToken]));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(served, gateway.Upstream.Served);
    }

    [Theory]
    [MemberData(nameof(ForgeryKinds))]
    public async Task SessionRoute_ForgedToken_Returns401AndNothingForwarded(string kind)
    {
        using var sessions = gateway.App.NewClient();
        var (_, _, tokens) = await sessions.NewUser();
        var forged = Forge.ByKind(kind, tokens.AccessToken, await Hostile.PublishedKeyOf(sessions, tokens.AccessToken));
        using var http = gateway.Client();
        var served = gateway.Upstream.Served;

        using var response = await Send(http, "/api/orders", forged);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(served, gateway.Upstream.Served);
    }

    [Fact]
    public async Task SessionRoute_ClusterCannotAnswer_Returns503AndNothingForwarded()
    {
        using var sessions = gateway.App.NewClient();
        var (_, _, tokens) = await sessions.NewUser();
        using var http = gateway.Client();
        var served = gateway.Upstream.Served;
        HttpStatusCode status;
        bool retryAfter;
        // The user's grain must come back from storage, and storage cannot answer.
        await gateway.App.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        gateway.App.Storage!.ReadsFailing = true;
        try
        {
            using var response = await Send(http, "/api/orders", tokens.AccessToken);
            (status, retryAfter) = (response.StatusCode, response.Headers.RetryAfter is not null);
        }
        finally
        {
            gateway.App.Storage.ReadsFailing = false;
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.True(retryAfter);
        Assert.Equal(served, gateway.Upstream.Served);
    }

    public static TheoryData<string> ForgeryKinds() => new(Forge.Kinds);

    private int ChecksOf(string userId) => gateway.Calls.Of(gateway.App.Grains.GetGrain<IUserGrain>(userId).GetGrainId(), nameof(IUserGrain.CheckAccess));

    private static async Task<HttpResponseMessage> Send(HttpClient http, string path, string? accessToken, Action<HttpRequestMessage>? change = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accessToken is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        change?.Invoke(request);
        return await http.SendAsync(request);
    }

    private static async Task<JsonElement> Echo(HttpClient http, string path, string? accessToken, Action<HttpRequestMessage>? change = null)
    {
        using var response = await Send(http, path, accessToken, change);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await SessionsClient.Json(response);
    }

    private static string[] Header(JsonElement echoed, string name) =>
        echoed.GetProperty("headers").TryGetProperty(name, out var values) ? [.. values.EnumerateArray().Select(v => v.GetString()!)] : [];
}
