using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Security;

/// <summary>Tokens that name their own verification key (jwk, x5c, jku, x5u): keys come only from the key ring.</summary>
[Collection(AppCollection.Name)]
public sealed class AttackerKeyHeaderTests(SessionsApp app)
{
    [Fact]
    public async Task Me_EmbeddedJwkWithRealKid_Returns401()
    {
        using var client = app.NewClient();
        var (_, _, victim) = await client.NewUser();
        using var attackerKey = Hostile.NewP256Key();

        using var response = await Hostile.GetMe(client, Forge.EmbeddedJwk(victim.AccessToken, attackerKey));

        await Hostile.AssertInvalidToken(response, "The token's signature is invalid.");
        await Hostile.AssertLive(client, victim);
    }

    [Fact]
    public async Task Me_EmbeddedJwkWithoutKid_Returns401()
    {
        using var client = app.NewClient();
        var (_, _, victim) = await client.NewUser();
        using var attackerKey = Hostile.NewP256Key();
        var header = Forge.HeaderWith(victim.AccessToken, h =>
        {
            h.Remove("kid");
            h["jwk"] = Jwt.PublicJwk(attackerKey);
        });

        using var response = await Hostile.GetMe(client, Jwt.SignEs256(Jwt.Unsigned(header, Jwt.Payload(victim.AccessToken)), attackerKey));

        await Hostile.AssertInvalidToken(response, "The token's signing key is not known.");
        await Hostile.AssertLive(client, victim);
    }

    [Fact]
    public async Task Me_EmbeddedX5cCertificateChain_Returns401()
    {
        using var client = app.NewClient();
        var (_, _, victim) = await client.NewUser();
        using var attackerKey = Hostile.NewP256Key();
        using var certificate = new CertificateRequest("CN=attacker", attackerKey, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var header = Forge.HeaderWith(victim.AccessToken, h => h["x5c"] = new JsonArray(Convert.ToBase64String(certificate.RawData)));

        using var response = await Hostile.GetMe(client, Jwt.SignEs256(Jwt.Unsigned(header, Jwt.Payload(victim.AccessToken)), attackerKey));

        await Hostile.AssertInvalidToken(response, "The token's signature is invalid.");
        await Hostile.AssertLive(client, victim);
    }

    [Fact]
    public async Task Me_JkuPointingToLoopbackServer_Returns401WithoutFetching()
    {
        using var client = app.NewClient();
        var (_, _, victim) = await client.NewUser();
        using var attackerKey = Hostile.NewP256Key();
        var jwk = Jwt.PublicJwk(attackerKey);
        jwk["kid"] = "attacker";
        jwk["alg"] = "ES256";
        jwk["use"] = "sig";
        await using var server = await LoopbackKeyServer.Start(new JsonObject { ["keys"] = new JsonArray(jwk) }.ToJsonString(), "application/json");
        await AssertReachable(server);
        var header = Forge.HeaderWith(victim.AccessToken, h =>
        {
            h["kid"] = "attacker";
            h["jku"] = new Uri(server.BaseAddress, "/jwks.json").ToString();
        });

        using var response = await Hostile.GetMe(client, Jwt.SignEs256(Jwt.Unsigned(header, Jwt.Payload(victim.AccessToken)), attackerKey));

        await Hostile.AssertInvalidToken(response, "The token's signing key is not known.");
        Assert.Equal(1, server.Requests);
        await Hostile.AssertLive(client, victim);
    }

    [Fact]
    public async Task Me_X5uPointingToLoopbackServer_Returns401WithoutFetching()
    {
        using var client = app.NewClient();
        var (_, _, victim) = await client.NewUser();
        using var attackerKey = Hostile.NewP256Key();
        using var certificate = new CertificateRequest("CN=attacker", attackerKey, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        await using var server = await LoopbackKeyServer.Start(certificate.ExportCertificatePem(), "application/pem-certificate-chain");
        await AssertReachable(server);
        var header = Forge.HeaderWith(victim.AccessToken, h =>
        {
            h["kid"] = "attacker";
            h["x5u"] = new Uri(server.BaseAddress, "/cert.pem").ToString();
        });

        using var response = await Hostile.GetMe(client, Jwt.SignEs256(Jwt.Unsigned(header, Jwt.Payload(victim.AccessToken)), attackerKey));

        await Hostile.AssertInvalidToken(response, "The token's signing key is not known.");
        Assert.Equal(1, server.Requests);
        await Hostile.AssertLive(client, victim);
    }

    // The control request: proves the server answers, so its count staying at one means the service never called it.
    private static async Task AssertReachable(LoopbackKeyServer server)
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(server.BaseAddress);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, server.Requests);
    }
}
