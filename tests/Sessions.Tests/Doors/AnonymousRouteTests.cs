using System.Net;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Doors;

/// <summary>Only routes that need a session pay the grain check; what the check does is seen in the session's lastSeenAt.</summary>
[Collection(AppCollection.Name)]
public sealed class AnonymousRouteTests(SessionsApp app)
{
    [Fact]
    public async Task AnonymousRoute_WithLiveBearerToken_DoesNotSlideTheSession()
    {
        using var client = app.NewClient();
        var admin = await client.AdminLogin();
        var (userId, _, tokens) = await client.NewUser();
        var before = await LastSeen(client, admin.AccessToken, userId);
        app.Time.Advance(TimeSpan.FromMinutes(1));

        using var response = await client.Get("/.well-known/jwks.json", tokens.AccessToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(before, await LastSeen(client, admin.AccessToken, userId));
    }

    [Fact]
    public async Task AnonymousRoute_WithGarbageBearerToken_AnswersAsWithoutOne()
    {
        using var client = app.NewClient();

        using var response = await client.Get("/.well-known/oauth-authorization-server", "not-a-token");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ForwardAuth_LiveToken_SlidesTheSession()
    {
        using var client = app.NewClient();
        var admin = await client.AdminLogin();
        var (userId, _, tokens) = await client.NewUser();
        var before = await LastSeen(client, admin.AccessToken, userId);
        app.Time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Get("/auth/check", tokens.AccessToken)));

        Assert.Equal(before + TimeSpan.FromMinutes(1), await LastSeen(client, admin.AccessToken, userId));
    }

    private static async Task<DateTimeOffset> LastSeen(SessionsClient client, string adminToken, string userId)
    {
        using var response = await client.Get($"/admin/users/{userId}/sessions", adminToken);
        return (await SessionsClient.Json(response))[0].GetProperty("lastSeenAt").GetDateTimeOffset();
    }
}
