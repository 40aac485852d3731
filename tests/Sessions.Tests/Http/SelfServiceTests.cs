using System.Net;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Http;

[Collection(AppCollection.Name)]
public sealed class SelfServiceTests(SessionsApp app)
{
    [Fact]
    public async Task Me_WithoutToken_Returns401WithBareBearerChallenge()
    {
        using var client = app.NewClient();

        using var response = await client.Get("/me", accessToken: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Me_WithRevokedSession_Returns401WithInvalidTokenChallenge()
    {
        using var client = app.NewClient();
        var (_, _, tokens) = await client.NewUser();
        await client.StatusOf(client.Post("/auth/logout", tokens.AccessToken));

        using var response = await client.Get("/me", tokens.AccessToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = response.Headers.WwwAuthenticate.ToString();
        Assert.StartsWith("Bearer error=\"invalid_token\", error_description=\"", challenge);
    }

    [Fact]
    public async Task MySessions_ListsLiveSessionsAndMarksTheCurrentOne()
    {
        using var client = app.NewClient();
        var (_, username, laptop) = await client.NewUser(deviceId: "laptop");
        var phone = await client.Login(username, deviceId: "phone", deviceName: "Pixel");

        using var response = await client.Get("/me/sessions", phone.AccessToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sessions = (await SessionsClient.Json(response)).EnumerateArray().ToList();
        Assert.Equal(2, sessions.Count);
        var current = Assert.Single(sessions, s => s.GetProperty("current").GetBoolean());
        Assert.Equal(phone.SessionId, current.GetProperty("sessionId").GetString());
        Assert.Equal("phone", current.GetProperty("deviceId").GetString());
        Assert.Equal("Pixel", current.GetProperty("deviceName").GetString());
        foreach (var field in new[] { "createdAt", "lastSeenAt", "idleExpiresAt", "expiresAt" })
            Assert.EndsWith("Z", current.GetProperty(field).GetString());
        Assert.Contains(sessions, s => s.GetProperty("sessionId").GetString() == laptop.SessionId);
    }

    [Fact]
    public async Task DeleteMySession_AnotherOfMine_EndsItOnTheNextRequest()
    {
        using var client = app.NewClient();
        var (_, username, laptop) = await client.NewUser(deviceId: "laptop");
        var phone = await client.Login(username, deviceId: "phone");

        Assert.Equal(HttpStatusCode.NoContent, await client.StatusOf(client.Delete($"/me/sessions/{laptop.SessionId}", phone.AccessToken)));

        Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOf(client.Get("/me", laptop.AccessToken)));
        Assert.Equal(HttpStatusCode.BadRequest, await client.StatusOf(client.Refresh(laptop.RefreshToken)));
        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Get("/me", phone.AccessToken)));
    }

    [Fact]
    public async Task DeleteMySession_SomeoneElsesSession_Returns404AndLeavesItAlone()
    {
        using var client = app.NewClient();
        var (_, _, mine) = await client.NewUser();
        var (_, _, theirs) = await client.NewUser();

        using var response = await client.Delete($"/me/sessions/{theirs.SessionId}", mine.AccessToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Get("/me", theirs.AccessToken)));
    }

    [Fact]
    public async Task Logout_Local_EndsOnlyTheCallersSession()
    {
        using var client = app.NewClient();
        var (_, username, laptop) = await client.NewUser(deviceId: "laptop");
        var phone = await client.Login(username, deviceId: "phone");

        Assert.Equal(HttpStatusCode.NoContent, await client.StatusOf(client.Post("/auth/logout?scope=local", laptop.AccessToken)));

        Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOf(client.Get("/me", laptop.AccessToken)));
        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Get("/me", phone.AccessToken)));
    }

    [Fact]
    public async Task Logout_Others_EndsEveryOtherSession()
    {
        using var client = app.NewClient();
        var (_, username, laptop) = await client.NewUser(deviceId: "laptop");
        var phone = await client.Login(username, deviceId: "phone");
        var tablet = await client.Login(username, deviceId: "tablet");

        Assert.Equal(HttpStatusCode.NoContent, await client.StatusOf(client.Post("/auth/logout?scope=others", laptop.AccessToken)));

        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Get("/me", laptop.AccessToken)));
        Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOf(client.Get("/me", phone.AccessToken)));
        Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOf(client.Get("/me", tablet.AccessToken)));
    }

    [Fact]
    public async Task Logout_Global_EndsEverySessionAndRejectsEveryEarlierToken()
    {
        using var client = app.NewClient();
        var (_, username, laptop) = await client.NewUser(deviceId: "laptop");
        var phone = await client.Login(username, deviceId: "phone");
        app.Time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(HttpStatusCode.NoContent, await client.StatusOf(client.Post("/auth/logout?scope=global", laptop.AccessToken)));

        Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOf(client.Get("/me", laptop.AccessToken)));
        Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOf(client.Get("/me", phone.AccessToken)));
        Assert.Equal(HttpStatusCode.BadRequest, await client.StatusOf(client.Refresh(phone.RefreshToken)));
        app.Time.Advance(TimeSpan.FromSeconds(1));
        var again = await client.Login(username);
        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Get("/me", again.AccessToken)));
    }

    [Fact]
    public async Task ChangePassword_Right_EndsOtherSessionsKeepsTheCallersAndSwapsThePassword()
    {
        using var client = app.NewClient();
        var (_, username, laptop) = await client.NewUser(deviceId: "laptop");
        var phone = await client.Login(username, deviceId: "phone");

        using var response = await client.Post("/me/password", laptop.AccessToken, new { currentPassword = SessionsClient.Password, newPassword = "a brand new password" });

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Get("/me", laptop.AccessToken)));
        Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOf(client.Get("/me", phone.AccessToken)));
        Assert.Equal(HttpStatusCode.BadRequest, await client.StatusOf(client.PostToken(("grant_type", "password"), ("username", username), ("password", SessionsClient.Password))));
        await client.Login(username, "a brand new password");
    }

    [Fact]
    public async Task ChangePassword_WrongCurrentPassword_Returns400AndChangesNothing()
    {
        using var client = app.NewClient();
        var (_, username, tokens) = await client.NewUser();

        using var response = await client.Post("/me/password", tokens.AccessToken, new { currentPassword = "not my password", newPassword = "a brand new password" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        await client.Login(username);
    }

    [Fact]
    public async Task Session_IdleForLongerThanTheTimeout_IsRejected()
    {
        using var client = app.NewClient();
        var (_, _, tokens) = await client.NewUser();
        using var refreshed = await client.Refresh(tokens.RefreshToken);
        var current = Tokens.From(await SessionsClient.Json(refreshed));

        app.Time.Advance(TimeSpan.FromMinutes(30));

        Assert.Equal(HttpStatusCode.BadRequest, await client.StatusOf(client.Refresh(current.RefreshToken)));
    }

    [Fact]
    public async Task Session_EachAcceptedRequestSlidesTheIdleTimeout()
    {
        using var client = app.NewClient();
        var (_, _, tokens) = await client.NewUser();
        app.Time.Advance(TimeSpan.FromMinutes(4));

        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Get("/me", tokens.AccessToken)));

        using var sessions = await client.Get("/me/sessions", tokens.AccessToken);
        var session = (await SessionsClient.Json(sessions))[0];
        Assert.Equal(app.Time.GetUtcNow(), session.GetProperty("lastSeenAt").GetDateTimeOffset());
        Assert.Equal(app.Time.GetUtcNow() + TimeSpan.FromMinutes(30), session.GetProperty("idleExpiresAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task Me_300ParallelRequestsOnOneSession_AreAllAccepted()
    {
        using var client = app.NewClient();
        var (_, _, tokens) = await client.NewUser();

        var statuses = await Task.WhenAll(Enumerable.Range(0, 300).Select(_ => client.StatusOf(client.Get("/me", tokens.AccessToken))));

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
    }
}
