using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Security;

/// <summary>Real header and claims under a signature the service's key never made.</summary>
[Collection(AppCollection.Name)]
public sealed class ForgedSignatureTests(SessionsApp app)
{
    [Fact]
    public async Task Me_SignatureStripped_Returns401()
    {
        using var client = app.NewClient();
        var (_, _, victim) = await client.NewUser();
        var parts = victim.AccessToken.Split('.');

        using var response = await Hostile.GetMe(client, $"{parts[0]}.{parts[1]}.");

        await Hostile.AssertInvalidToken(response, "The token's signature is invalid.");
        await Hostile.AssertLive(client, victim);
    }

    [Fact]
    public async Task Me_ZeroFilledSignatureOfCorrectLength_Returns401()
    {
        using var client = app.NewClient();
        var (_, _, victim) = await client.NewUser();
        var parts = victim.AccessToken.Split('.');

        using var response = await Hostile.GetMe(client, $"{parts[0]}.{parts[1]}.{Jwt.Encode(new byte[64])}");

        await Hostile.AssertInvalidToken(response, "The token's signature is invalid.");
        await Hostile.AssertLive(client, victim);
    }

    [Fact]
    public async Task Me_SignedByForeignKeyWithRealKid_Returns401()
    {
        using var client = app.NewClient();
        var (_, _, victim) = await client.NewUser();
        using var attackerKey = Hostile.NewP256Key();

        using var response = await Hostile.GetMe(client, Forge.ForeignKey(victim.AccessToken, attackerKey));

        await Hostile.AssertInvalidToken(response, "The token's signature is invalid.");
        await Hostile.AssertLive(client, victim);
    }

    [Fact]
    public async Task Me_SignatureTransplantedFromAnotherUsersToken_Returns401()
    {
        using var client = app.NewClient();
        var (_, _, victim) = await client.NewUser();
        var (_, _, other) = await client.NewUser();
        var parts = victim.AccessToken.Split('.');

        using var response = await Hostile.GetMe(client, $"{parts[0]}.{parts[1]}.{Jwt.Signature(other.AccessToken)}");

        await Hostile.AssertInvalidToken(response, "The token's signature is invalid.");
        await Hostile.AssertLive(client, victim);
    }

    [Theory]
    [InlineData("raw-x-y")]
    [InlineData("uncompressed-point")]
    [InlineData("spki-der")]
    [InlineData("spki-pem")]
    [InlineData("jwk-json")]
    public async Task Me_Hs256SignedWithPublishedPublicKey_Returns401(string encoding)
    {
        using var client = app.NewClient();
        var (_, _, victim) = await client.NewUser();
        var secret = Forge.PublicKeyAsSecret(await Hostile.PublishedKeyOf(client, victim.AccessToken), encoding);

        using var response = await Hostile.GetMe(client, Forge.Hs256(victim.AccessToken, secret));

        await Hostile.AssertInvalidToken(response, "The token's signature is invalid.");
        await Hostile.AssertLive(client, victim);
    }
}
