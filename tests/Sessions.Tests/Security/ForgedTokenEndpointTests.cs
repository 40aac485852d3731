using System.Net;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Security;

/// <summary>
/// Forgeries handed to the OAuth endpoints that verify tokens themselves, outside the bearer handler: introspection
/// calls them inactive, and revoking one (it carries the victim's own jti and session) revokes nothing.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ForgedTokenEndpointTests(SessionsApp app)
{
    public static TheoryData<string> Kinds => [.. Forge.Kinds];

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Introspect_ForgedAccessToken_ReturnsInactive(string kind)
    {
        using var client = app.NewClient();
        var (_, _, victim) = await client.NewUser();
        var admin = await client.AdminLogin();
        var forged = Forge.ByKind(kind, victim.AccessToken, await Hostile.PublishedKeyOf(client, victim.AccessToken));

        using var response = await client.Send(HttpMethod.Post, "/oauth/introspect", admin.AccessToken,
            new FormUrlEncodedContent([KeyValuePair.Create("token", forged)]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{\"active\":false}", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Revoke_ForgedAccessToken_Returns200AndRevokesNothing(string kind)
    {
        using var client = app.NewClient();
        var (_, _, victim) = await client.NewUser();
        var forged = Forge.ByKind(kind, victim.AccessToken, await Hostile.PublishedKeyOf(client, victim.AccessToken));

        using var response = await client.Http.PostAsync("/oauth/revoke", new FormUrlEncodedContent([KeyValuePair.Create("token", forged)]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Hostile.AssertLive(client, victim);
    }

    [Fact]
    public async Task Token_RefreshTokenWithForgedSecretForVictimSession_ReturnsInvalidGrantAndSessionStaysLive()
    {
        using var client = app.NewClient();
        var (victimId, _, victim) = await client.NewUser();

        using var response = await client.Refresh($"{victimId}.{victim.SessionId}.{new string('A', 43)}");

        await Hostile.AssertOAuthError(response, HttpStatusCode.BadRequest, "invalid_grant", "The refresh token is invalid, expired or revoked.");
        await Hostile.AssertLive(client, victim);
    }

    [Fact]
    public async Task Revoke_RefreshTokenWithForgedSecretForVictimSession_Returns200AndSessionStaysLive()
    {
        using var client = app.NewClient();
        var (victimId, _, victim) = await client.NewUser();

        using var response = await client.Http.PostAsync("/oauth/revoke",
            new FormUrlEncodedContent([KeyValuePair.Create("token", $"{victimId}.{victim.SessionId}.{new string('A', 43)}")]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Hostile.AssertLive(client, victim);
    }
}
