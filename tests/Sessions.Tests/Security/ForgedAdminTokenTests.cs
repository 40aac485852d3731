using System.Net;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Security;

/// <summary>Forged tokens claiming the admin role, aimed at a victim: refused, and the victim keeps their session.</summary>
[Collection(AppCollection.Name)]
public sealed class ForgedAdminTokenTests(SessionsApp app)
{
    // Each kind fails at the signature, whatever else it forged.
    private const string Detail = "The token's signature is invalid.";

    public static TheoryData<string> Forgeries => [.. Forge.Kinds];

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task RevokeUser_ForgedAdminToken_Returns401AndVictimStaysLive(string forgery)
    {
        using var client = app.NewClient();
        var (_, _, attacker) = await client.NewUser();
        var (victimId, _, victim) = await client.NewUser();

        using var response = await Hostile.SendBearer(client, HttpMethod.Post, $"/admin/users/{victimId}/revoke", await Build(client, forgery, attacker.AccessToken));

        await Hostile.AssertInvalidToken(response, Detail);
        await Hostile.AssertLive(client, victim);
    }

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task DisableUser_ForgedAdminToken_Returns401AndVictimStaysEnabled(string forgery)
    {
        using var client = app.NewClient();
        var (_, _, attacker) = await client.NewUser();
        var (victimId, victimName, victim) = await client.NewUser();

        using var response = await Hostile.SendBearer(client, HttpMethod.Post, $"/admin/users/{victimId}/disable", await Build(client, forgery, attacker.AccessToken));

        await Hostile.AssertInvalidToken(response, Detail);
        await Hostile.AssertLive(client, victim);
        await client.Login(victimName);
    }

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task RetireSigningKey_ForgedAdminToken_Returns401AndKeyStaysPublished(string forgery)
    {
        using var client = app.NewClient();
        var (_, _, attacker) = await client.NewUser();
        var (_, _, victim) = await client.NewUser();
        var kid = Jwt.Header(victim.AccessToken)["kid"]!.GetValue<string>();

        using var response = await Hostile.SendBearer(client, HttpMethod.Delete, $"/admin/signing-keys/{kid}", await Build(client, forgery, attacker.AccessToken));

        await Hostile.AssertInvalidToken(response, Detail);
        Assert.Equal(kid, (await Hostile.PublishedKeyOf(client, victim.AccessToken))["kid"]!.GetValue<string>());
        await Hostile.AssertLive(client, victim);
    }

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task Introspect_ForgedAdminToken_Returns401(string forgery)
    {
        using var client = app.NewClient();
        var (_, _, attacker) = await client.NewUser();
        var (_, _, victim) = await client.NewUser();
        var request = new HttpRequestMessage(HttpMethod.Post, "/oauth/introspect")
        {
            Content = new FormUrlEncodedContent([KeyValuePair.Create("token", victim.AccessToken)]),
        };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + await Build(client, forgery, attacker.AccessToken));

        using var response = await client.Http.SendAsync(request);

        await Hostile.AssertInvalidToken(response, Detail);
        await Hostile.AssertLive(client, victim);
    }

    [Fact]
    public async Task RevokeUser_RealNonAdminToken_Returns403AndVictimStaysLive()
    {
        using var client = app.NewClient();
        var (_, _, attacker) = await client.NewUser();
        var (victimId, _, victim) = await client.NewUser();

        using var response = await client.Post($"/admin/users/{victimId}/revoke", attacker.AccessToken);

        await Hostile.AssertProblem(response, HttpStatusCode.Forbidden, "Forbidden", "This endpoint needs the admin role.");
        await Hostile.AssertLive(client, victim);
    }

    private static async Task<string> Build(SessionsClient client, string forgery, string attackerToken) =>
        Forge.ByKind(forgery, attackerToken, await Hostile.PublishedKeyOf(client, attackerToken), claims => claims["role"] = "admin");
}
