using System.Net;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Http;

[Collection(AppCollection.Name)]
public sealed class AdminTests(SessionsApp app)
{
    [Fact]
    public async Task AdminEndpoint_WithNonAdminToken_Returns403Problem()
    {
        using var client = app.NewClient();
        var (userId, _, tokens) = await client.NewUser();

        using var response = await client.Post($"/admin/users/{userId}/revoke", tokens.AccessToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Get("/me", tokens.AccessToken)));
    }

    [Fact]
    public async Task FindUser_ByUsernameInAnyCase_ReturnsTheUser()
    {
        using var client = app.NewClient();
        var admin = await client.AdminLogin();
        var (userId, username, _) = await client.NewUser();

        using var response = await client.Get($"/admin/users?username={username.ToUpperInvariant()}", admin.AccessToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var user = await SessionsClient.Json(response);
        Assert.Equal(userId, user.GetProperty("userId").GetString());
        Assert.Equal(username, user.GetProperty("username").GetString());
        Assert.False(user.GetProperty("disabled").GetBoolean());
        Assert.Equal(0, user.GetProperty("roles").GetArrayLength());
        Assert.EndsWith("Z", user.GetProperty("createdAt").GetString());
    }

    [Fact]
    public async Task FindUser_Unknown_Returns404()
    {
        using var client = app.NewClient();
        var admin = await client.AdminLogin();

        Assert.Equal(HttpStatusCode.NotFound, await client.StatusOf(client.Get($"/admin/users?username={SessionsClient.NewUsername()}", admin.AccessToken)));
    }

    [Fact]
    public async Task UserSessions_ListsLiveSessionsWithoutCurrent()
    {
        using var client = app.NewClient();
        var admin = await client.AdminLogin();
        var (userId, _, tokens) = await client.NewUser(deviceId: "laptop");

        using var response = await client.Get($"/admin/users/{userId}/sessions", admin.AccessToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var session = Assert.Single((await SessionsClient.Json(response)).EnumerateArray());
        Assert.Equal(tokens.SessionId, session.GetProperty("sessionId").GetString());
        Assert.Equal("laptop", session.GetProperty("deviceId").GetString());
        Assert.False(session.TryGetProperty("current", out _));
        Assert.Equal(HttpStatusCode.NotFound, await client.StatusOf(client.Get($"/admin/users/{Guid.NewGuid():N}/sessions", admin.AccessToken)));
    }

    [Fact]
    public async Task EndUserSession_TakesEffectOnTheVeryNextRequest()
    {
        using var client = app.NewClient();
        var admin = await client.AdminLogin();
        var (userId, _, tokens) = await client.NewUser();
        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Get("/me", tokens.AccessToken)));

        Assert.Equal(HttpStatusCode.NoContent, await client.StatusOf(client.Delete($"/admin/users/{userId}/sessions/{tokens.SessionId}", admin.AccessToken)));

        Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOf(client.Get("/me", tokens.AccessToken)));
        Assert.Equal(HttpStatusCode.NotFound, await client.StatusOf(client.Delete($"/admin/users/{userId}/sessions/{tokens.SessionId}", admin.AccessToken)));
    }

    [Fact]
    public async Task RevokeDevice_EndsEverySessionOnThatDeviceOnly()
    {
        using var client = app.NewClient();
        var admin = await client.AdminLogin();
        var (userId, username, laptop) = await client.NewUser(deviceId: "laptop");
        var phone = await client.Login(username, deviceId: "phone");

        Assert.Equal(HttpStatusCode.NoContent, await client.StatusOf(client.Delete($"/admin/users/{userId}/devices/laptop", admin.AccessToken)));

        Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOf(client.Get("/me", laptop.AccessToken)));
        Assert.Equal(HttpStatusCode.BadRequest, await client.StatusOf(client.Refresh(laptop.RefreshToken)));
        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Get("/me", phone.AccessToken)));
    }

    [Fact]
    public async Task RevokeUser_RejectsEveryTokenOnTheVeryNextRequest()
    {
        using var client = app.NewClient();
        var admin = await client.AdminLogin();
        var (userId, username, laptop) = await client.NewUser(deviceId: "laptop");
        var phone = await client.Login(username, deviceId: "phone");

        Assert.Equal(HttpStatusCode.NoContent, await client.StatusOf(client.Post($"/admin/users/{userId}/revoke", admin.AccessToken)));

        Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOf(client.Get("/me", laptop.AccessToken)));
        Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOf(client.Get("/me", phone.AccessToken)));
        Assert.Equal(HttpStatusCode.BadRequest, await client.StatusOf(client.Refresh(phone.RefreshToken)));
        Assert.Equal(HttpStatusCode.NotFound, await client.StatusOf(client.Post($"/admin/users/{Guid.NewGuid():N}/revoke", admin.AccessToken)));
    }

    [Fact]
    public async Task DisableUser_EndsSessionsAndRefusesLoginUntilEnabled()
    {
        using var client = app.NewClient();
        var admin = await client.AdminLogin();
        var (userId, username, tokens) = await client.NewUser();

        Assert.Equal(HttpStatusCode.NoContent, await client.StatusOf(client.Post($"/admin/users/{userId}/disable", admin.AccessToken)));

        Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOf(client.Get("/me", tokens.AccessToken)));
        using var login = await client.PostToken(("grant_type", "password"), ("username", username), ("password", SessionsClient.Password));
        Assert.Equal(HttpStatusCode.BadRequest, login.StatusCode);
        Assert.Equal("invalid_grant", (await SessionsClient.Json(login)).GetProperty("error").GetString());
        using var user = await client.Get($"/admin/users/{userId}", admin.AccessToken);
        Assert.True((await SessionsClient.Json(user)).GetProperty("disabled").GetBoolean());

        Assert.Equal(HttpStatusCode.NoContent, await client.StatusOf(client.Post($"/admin/users/{userId}/enable", admin.AccessToken)));
        await client.Login(username);
    }
}
