using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Security;

/// <summary>Unsigned tokens (<c>alg: none</c> in every spelling) carrying a real user's claims.</summary>
[Collection(AppCollection.Name)]
public sealed class AlgNoneTokenTests(SessionsApp app)
{
    public static TheoryData<string> Spellings => ["none", "None", "NONE", "nOnE"];

    [Theory]
    [MemberData(nameof(Spellings))]
    public async Task Me_AlgNoneWithEmptySignature_Returns401(string alg)
    {
        using var client = app.NewClient();
        var (_, _, victim) = await client.NewUser();

        using var response = await Hostile.GetMe(client, Forge.AlgNone(victim.AccessToken, alg));

        await Hostile.AssertInvalidToken(response, "The token's signature is invalid.");
        await Hostile.AssertLive(client, victim);
    }

    [Theory]
    [MemberData(nameof(Spellings))]
    public async Task Me_AlgNoneWithGarbageSignature_Returns401(string alg)
    {
        using var client = app.NewClient();
        var (_, _, victim) = await client.NewUser();

        using var response = await Hostile.GetMe(client, Forge.AlgNone(victim.AccessToken, alg, Jwt.Encode("garbage-signature")));

        await Hostile.AssertInvalidToken(response, "The token's signature is invalid.");
        await Hostile.AssertLive(client, victim);
    }

    [Theory]
    [MemberData(nameof(Spellings))]
    public async Task Me_AlgNoneWithOriginalSignature_Returns401(string alg)
    {
        using var client = app.NewClient();
        var (_, _, victim) = await client.NewUser();

        using var response = await Hostile.GetMe(client, Forge.AlgNone(victim.AccessToken, alg, Jwt.Signature(victim.AccessToken)));

        await Hostile.AssertInvalidToken(response, "The token's signature is invalid.");
        await Hostile.AssertLive(client, victim);
    }
}
