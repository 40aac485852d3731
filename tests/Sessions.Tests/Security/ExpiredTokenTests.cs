using System.Net;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Security;

/// <summary>
/// Token lifetime against the session clock. The clock is shared by every test in the collection, so these only ever
/// move it forward, and each works on a token issued just before.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ExpiredTokenTests(SessionsApp app)
{
    [Fact]
    public async Task Me_TokenPastExpiryAndSkew_Returns401()
    {
        using var client = app.NewClient();
        var (_, _, tokens) = await client.NewUser();
        app.Time.Advance(TimeSpan.FromSeconds(tokens.ExpiresIn) + TimeSpan.FromSeconds(31));

        using var response = await Hostile.GetMe(client, tokens.AccessToken);

        await Hostile.AssertInvalidToken(response, "The token has expired or is not valid yet.");
    }

    [Fact]
    public async Task Me_TokenPastExpiryWithinSkew_Returns200()
    {
        using var client = app.NewClient();
        var (_, _, tokens) = await client.NewUser();
        app.Time.Advance(TimeSpan.FromSeconds(tokens.ExpiresIn) + TimeSpan.FromSeconds(29));

        using var response = await Hostile.GetMe(client, tokens.AccessToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Me_ExpiredTokenWithExpExtendedKeepingSignature_Returns401()
    {
        using var client = app.NewClient();
        var (_, _, tokens) = await client.NewUser();
        var exp = Jwt.Payload(tokens.AccessToken)["exp"]!.GetValue<long>();
        app.Time.Advance(TimeSpan.FromSeconds(tokens.ExpiresIn) + TimeSpan.FromSeconds(31));

        using var response = await Hostile.GetMe(client, Jwt.WithPayload(tokens.AccessToken, p => p["exp"] = exp + 3600));

        await Hostile.AssertInvalidToken(response, "The token's signature is invalid.");
    }
}
