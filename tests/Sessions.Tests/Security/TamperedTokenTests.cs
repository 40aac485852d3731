using System.Text.Json.Nodes;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Security;

/// <summary>A real token with its claims or header edited and the original signature kept.</summary>
[Collection(AppCollection.Name)]
public sealed class TamperedTokenTests(SessionsApp app)
{
    [Fact]
    public async Task Me_SubChangedToAnotherUser_Returns401()
    {
        using var client = app.NewClient();
        var (_, _, attacker) = await client.NewUser();
        var (victimId, _, victim) = await client.NewUser();

        using var response = await Hostile.GetMe(client, Jwt.WithPayload(attacker.AccessToken, p => p["sub"] = victimId));

        await Hostile.AssertInvalidToken(response, "The token's signature is invalid.");
        await Hostile.AssertLive(client, victim);
    }

    [Fact]
    public async Task Me_SubAndSidChangedToAnotherUsersSession_Returns401()
    {
        using var client = app.NewClient();
        var (_, _, attacker) = await client.NewUser();
        var (victimId, _, victim) = await client.NewUser();

        using var response = await Hostile.GetMe(client, Jwt.WithPayload(attacker.AccessToken, p =>
        {
            p["sub"] = victimId;
            p["sid"] = victim.SessionId;
        }));

        await Hostile.AssertInvalidToken(response, "The token's signature is invalid.");
        await Hostile.AssertLive(client, victim);
    }

    public static TheoryData<string> ClaimChanges => ["role-admin", "exp-extended", "iat-moved", "nbf-moved", "aud-changed", "aud-array", "iss-changed", "jti-changed", "sid-changed", "claim-added"];

    [Theory]
    [MemberData(nameof(ClaimChanges))]
    public async Task Me_ClaimChangedKeepingSignature_Returns401(string change)
    {
        using var client = app.NewClient();
        var (_, _, victim) = await client.NewUser();
        var exp = Jwt.Payload(victim.AccessToken)["exp"]!.GetValue<long>();

        using var response = await Hostile.GetMe(client, Jwt.WithPayload(victim.AccessToken, p =>
        {
            switch (change)
            {
                case "role-admin": p["role"] = "admin"; break;
                case "exp-extended": p["exp"] = exp + 365 * 24 * 3600; break;
                case "iat-moved": p["iat"] = exp + 3600; break;
                case "nbf-moved": p["nbf"] = exp - 3600; break;
                case "aud-changed": p["aud"] = "another-api"; break;
                case "aud-array": p["aud"] = new JsonArray("another-api", "sessions-api"); break;
                case "iss-changed": p["iss"] = "https://attacker.example"; break;
                case "jti-changed": p["jti"] = Guid.NewGuid().ToString("N"); break;
                case "sid-changed": p["sid"] = Guid.NewGuid().ToString("N"); break;
                case "claim-added": p["scope"] = "admin"; break;
            }
        }));

        await Hostile.AssertInvalidToken(response, "The token's signature is invalid.");
        await Hostile.AssertLive(client, victim);
    }

    public static TheoryData<string> Types => ["JWT", "none", "missing", "AT+JWT", "application/at+jwt", "null"];

    [Theory]
    [MemberData(nameof(Types))]
    public async Task Me_TypChangedKeepingSignature_Returns401(string typ)
    {
        using var client = app.NewClient();
        var (_, _, victim) = await client.NewUser();

        using var response = await Hostile.GetMe(client, Jwt.WithHeader(victim.AccessToken, h =>
        {
            if (typ == "missing")
                h.Remove("typ");
            else
                h["typ"] = typ == "null" ? null : typ;
        }));

        await Hostile.AssertInvalidToken(response, "The token's signature is invalid.");
        await Hostile.AssertLive(client, victim);
    }

    [Fact]
    public async Task Me_HeaderGainsCriticalExtension_Returns401()
    {
        using var client = app.NewClient();
        var (_, _, victim) = await client.NewUser();

        using var response = await Hostile.GetMe(client, Jwt.WithHeader(victim.AccessToken, h =>
        {
            h["crit"] = new JsonArray("b64");
            h["b64"] = false;
        }));

        await Hostile.AssertInvalidToken(response, "The token's signature is invalid.");
        await Hostile.AssertLive(client, victim);
    }
}
