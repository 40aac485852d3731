using System.Net;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Security;

/// <summary>Hostile bodies on POST /me/password: a problem document, the old password still works and the session lives.</summary>
[Collection(AppCollection.Name)]
public sealed class ChangePasswordBodyTests(SessionsApp app)
{
    private const string NewPassword = "a brand new password";

    [Theory]
    [MemberData(nameof(JsonBodyCases.Cases), MemberType = typeof(JsonBodyCases))]
    public async Task ChangePassword_HostileBody_ReturnsProblemAndKeepsPassword(string body)
    {
        using var client = app.NewClient();
        var (_, username, victim) = await client.NewUser();

        using var response = await client.Send(HttpMethod.Post, "/me/password", victim.AccessToken,
            HostileBodies.Build(body, ("currentPassword", SessionsClient.Password), ("newPassword", NewPassword)));

        var (status, title, detail) = JsonBodyCases.Expected[body];
        await Hostile.AssertProblem(response, status, title, detail);
        await Hostile.AssertLive(client, victim);
        await client.Login(username, SessionsClient.Password);
    }

    [Fact]
    public async Task ChangePassword_NoToken_Returns401BeforeReadingBody()
    {
        using var client = app.NewClient();

        using var response = await client.Http.PostAsync("/me/password", HostileBodies.Build("four-mebibytes", ("currentPassword", "x")));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).ToString());
    }
}
