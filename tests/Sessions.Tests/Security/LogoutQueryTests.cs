using System.Net;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Security;

/// <summary>POST /auth/logout with a scope it does not know: 400, and no session of the caller ends.</summary>
[Collection(AppCollection.Name)]
public sealed class LogoutQueryTests(SessionsApp app)
{
    [Theory]
    [InlineData("scope=bogus")]
    [InlineData("scope=GLOBAL")]
    [InlineData("scope=Others")]
    [InlineData("scope=global%00")]
    [InlineData("scope=%20local")]
    [InlineData("scope=others&scope=global")]
    [InlineData("scope=local&scope=global")]
    [InlineData("scope=%FF%FE")]
    public async Task Logout_UnknownScope_Returns400AndEndsNoSession(string query)
    {
        using var client = app.NewClient();
        var (_, username, first) = await client.NewUser();
        var second = await client.Login(username);

        using var response = await client.Post($"/auth/logout?{query}", first.AccessToken);

        await Hostile.AssertProblem(response, HttpStatusCode.BadRequest, "Bad Request", "scope must be local, others or global.");
        await Hostile.AssertLive(client, first);
        await Hostile.AssertLive(client, second);
    }
}
