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
}
