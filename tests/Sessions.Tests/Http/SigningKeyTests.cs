using System.Net;
using Microsoft.IdentityModel.JsonWebTokens;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Http;

[Collection(AppCollection.Name)]
public sealed class SigningKeyTests(SessionsApp app)
{
    private static async Task<List<string>> JwksKids(SessionsClient client)
    {
        using var response = await client.Get("/.well-known/jwks.json", accessToken: null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var keys = (await SessionsClient.Json(response)).GetProperty("keys").EnumerateArray().ToList();
        Assert.All(keys, k =>
        {
            Assert.Equal("EC", k.GetProperty("kty").GetString());
            Assert.Equal("P-256", k.GetProperty("crv").GetString());
            Assert.Equal("ES256", k.GetProperty("alg").GetString());
            Assert.Equal("sig", k.GetProperty("use").GetString());
            Assert.False(k.TryGetProperty("d", out _));
        });
        return [.. keys.Select(k => k.GetProperty("kid").GetString()!)];
    }

    private static async Task<string> Rotate(SessionsClient client, string adminToken)
    {
        using var response = await client.Post("/admin/signing-keys/rotate", adminToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await SessionsClient.Json(response)).GetProperty("kid").GetString()!;
    }

    [Fact]
    public async Task Rotate_NewTokensUseTheNewKeyAndOldTokensStayValid()
    {
        using var client = app.NewClient();
        var admin = await client.AdminLogin();
        var (_, username, before) = await client.NewUser();

        var kid = await Rotate(client, admin.AccessToken);

        var after = await client.Login(username, deviceId: "other");
        Assert.Equal(kid, new JsonWebToken(after.AccessToken).Kid);
        Assert.NotEqual(kid, new JsonWebToken(before.AccessToken).Kid);
        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Get("/me", before.AccessToken)));
        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Get("/me", after.AccessToken)));
        var kids = await JwksKids(client);
        Assert.Contains(kid, kids);
        Assert.Contains(new JsonWebToken(before.AccessToken).Kid, kids);
    }

    [Fact]
    public async Task Retire_AnOlderKey_RejectsItsTokensAtOnceAndDropsItFromJwks()
    {
        using var client = app.NewClient();
        var admin = await client.AdminLogin();
        var (_, username, before) = await client.NewUser();
        var oldKid = new JsonWebToken(before.AccessToken).Kid;
        await Rotate(client, admin.AccessToken);
        var freshAdmin = await client.AdminLogin();

        Assert.Equal(HttpStatusCode.NoContent, await client.StatusOf(client.Delete($"/admin/signing-keys/{oldKid}", freshAdmin.AccessToken)));

        using var rejected = await client.Get("/me", before.AccessToken);
        Assert.Equal(HttpStatusCode.Unauthorized, rejected.StatusCode);
        Assert.DoesNotContain(oldKid, await JwksKids(client));
        var after = await client.Login(username, deviceId: "other");
        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Get("/me", after.AccessToken)));
    }

    [Fact]
    public async Task Retire_TheActiveKey_RotatesFirst()
    {
        using var client = app.NewClient();
        var admin = await client.AdminLogin();
        var (_, username, before) = await client.NewUser();
        var activeKid = new JsonWebToken(before.AccessToken).Kid;

        Assert.Equal(HttpStatusCode.NoContent, await client.StatusOf(client.Delete($"/admin/signing-keys/{activeKid}", admin.AccessToken)));

        Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOf(client.Get("/me", before.AccessToken)));
        Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOf(client.Get("/me", admin.AccessToken)));
        var after = await client.Login(username, deviceId: "other");
        Assert.NotEqual(activeKid, new JsonWebToken(after.AccessToken).Kid);
        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Get("/me", after.AccessToken)));
        var kids = await JwksKids(client);
        Assert.DoesNotContain(activeKid, kids);
        Assert.Contains(new JsonWebToken(after.AccessToken).Kid, kids);
    }

    [Fact]
    public async Task Retire_UnknownKid_Returns404()
    {
        using var client = app.NewClient();
        var admin = await client.AdminLogin();

        Assert.Equal(HttpStatusCode.NotFound, await client.StatusOf(client.Delete("/admin/signing-keys/no-such-kid", admin.AccessToken)));
    }

    [Fact]
    public async Task Metadata_DescribesTheEndpointsAndGrants()
    {
        using var client = app.NewClient();

        using var response = await client.Get("/.well-known/oauth-authorization-server", accessToken: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var metadata = await SessionsClient.Json(response);
        Assert.Equal(SessionsApp.Issuer, metadata.GetProperty("issuer").GetString());
        Assert.Equal($"{SessionsApp.Issuer}/oauth/token", metadata.GetProperty("token_endpoint").GetString());
        Assert.Equal($"{SessionsApp.Issuer}/oauth/revoke", metadata.GetProperty("revocation_endpoint").GetString());
        Assert.Equal($"{SessionsApp.Issuer}/oauth/introspect", metadata.GetProperty("introspection_endpoint").GetString());
        Assert.Equal($"{SessionsApp.Issuer}/.well-known/jwks.json", metadata.GetProperty("jwks_uri").GetString());
        Assert.Equal(["password", "refresh_token"], metadata.GetProperty("grant_types_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["none"], metadata.GetProperty("token_endpoint_auth_methods_supported").EnumerateArray().Select(e => e.GetString()));
    }
}
