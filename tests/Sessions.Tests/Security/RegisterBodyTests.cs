using System.Net;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Security;

/// <summary>Hostile bodies on POST /auth/register: a problem document, and no account is created.</summary>
[Collection(AppCollection.Name)]
public sealed class RegisterBodyTests(SessionsApp app)
{
    [Theory]
    [MemberData(nameof(JsonBodyCases.Cases), MemberType = typeof(JsonBodyCases))]
    public async Task Register_HostileBody_ReturnsProblemAndCreatesNoAccount(string body)
    {
        using var client = app.NewClient();
        var username = SessionsClient.NewUsername();

        using var response = await client.Http.PostAsync("/auth/register", HostileBodies.Build(body, ("username", username), ("password", SessionsClient.Password)));

        var (status, title, detail) = JsonBodyCases.Expected[body];
        await Hostile.AssertProblem(response, status, title, detail);
        await AssertNoAccount(client, username);
        await AssertNoAccount(client, "decoy");
    }

    private static async Task AssertNoAccount(SessionsClient client, string username)
    {
        using var response = await client.PostToken(("grant_type", "password"), ("username", username), ("password", SessionsClient.Password));
        await Hostile.AssertOAuthError(response, HttpStatusCode.BadRequest, "invalid_grant",
            "The username or password is incorrect, or the account cannot sign in right now.");
    }
}
