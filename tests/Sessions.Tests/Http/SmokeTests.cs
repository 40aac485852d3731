using System.Net;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Http;

[Collection(AppCollection.Name)]
public sealed class SmokeTests(SessionsApp app)
{
    [Fact]
    public async Task Me_WithFreshLogin_ReturnsTheCaller()
    {
        using var client = app.NewClient();
        var (userId, username, tokens) = await client.NewUser();

        using var response = await client.Get("/me", tokens.AccessToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var me = await SessionsClient.Json(response);
        Assert.Equal(userId, me.GetProperty("userId").GetString());
        Assert.Equal(username, me.GetProperty("username").GetString());
        Assert.Equal(tokens.SessionId, me.GetProperty("sessionId").GetString());
    }

    [Fact]
    public async Task OpenApi_Document_ListsEveryContractPath()
    {
        using var client = app.NewClient();

        using var response = await client.Get("/openapi/v1.json", accessToken: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var paths = (await SessionsClient.Json(response)).GetProperty("paths");
        foreach (var path in new[] { "/auth/register", "/oauth/token", "/oauth/revoke", "/oauth/introspect", "/.well-known/jwks.json",
            "/.well-known/oauth-authorization-server", "/me", "/me/sessions", "/me/sessions/{sessionId}", "/auth/logout", "/me/password",
            "/admin/users", "/admin/users/{userId}/sessions", "/admin/users/{userId}/devices/{deviceId}", "/admin/users/{userId}/revoke",
            "/admin/users/{userId}/disable", "/admin/users/{userId}/enable", "/admin/signing-keys/rotate", "/admin/signing-keys/{kid}" })
            Assert.True(paths.TryGetProperty(path, out _), path);
    }
}
