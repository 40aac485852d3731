using System.Net;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Http;

[Collection(AppCollection.Name)]
public sealed class RevocationAndIntrospectionTests(SessionsApp app)
{
    private static Task<HttpResponseMessage> Revoke(SessionsClient client, string token, string? hint = null) =>
        client.Http.PostAsync("/oauth/revoke", new FormUrlEncodedContent(hint is null
            ? [KeyValuePair.Create("token", token)]
            : [KeyValuePair.Create("token", token), KeyValuePair.Create("token_type_hint", hint)]));

    private static Task<HttpResponseMessage> Introspect(SessionsClient client, string token, string? callerToken) =>
        client.Send(HttpMethod.Post, "/oauth/introspect", callerToken, new FormUrlEncodedContent([KeyValuePair.Create("token", token)]));

    [Fact]
    public async Task Revoke_RefreshToken_EndsItsSession()
    {
        using var client = app.NewClient();
        var (_, _, tokens) = await client.NewUser();

        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(Revoke(client, tokens.RefreshToken, "refresh_token")));

        Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOf(client.Get("/me", tokens.AccessToken)));
        Assert.Equal(HttpStatusCode.BadRequest, await client.StatusOf(client.Refresh(tokens.RefreshToken)));
    }

    [Fact]
    public async Task Revoke_AccessToken_RejectsThatTokenButLeavesTheSessionAlive()
    {
        using var client = app.NewClient();
        var (_, _, tokens) = await client.NewUser();

        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(Revoke(client, tokens.AccessToken, "access_token")));

        Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOf(client.Get("/me", tokens.AccessToken)));
        using var refreshed = await client.Refresh(tokens.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Get("/me", Tokens.From(await SessionsClient.Json(refreshed)).AccessToken)));
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")]
    [InlineData("0123456789abcdef0123456789abcdef.0123456789abcdef0123456789abcdef.AAAAAAAAAAAAAAAAAAAAAA")]
    public async Task Revoke_UnknownOrInvalidToken_Returns200(string token)
    {
        using var client = app.NewClient();

        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(Revoke(client, token)));
    }

    [Fact]
    public async Task Revoke_WithoutToken_ReturnsInvalidRequest()
    {
        using var client = app.NewClient();

        using var response = await client.Http.PostAsync("/oauth/revoke", new FormUrlEncodedContent([KeyValuePair.Create("token_type_hint", "access_token")]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request", (await SessionsClient.Json(response)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Introspect_LiveAccessTokenAsAdmin_DescribesIt()
    {
        using var client = app.NewClient();
        var admin = await client.AdminLogin();
        var (userId, username, tokens) = await client.NewUser(deviceId: "laptop");

        using var response = await Introspect(client, tokens.AccessToken, admin.AccessToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await SessionsClient.Json(response);
        Assert.True(body.GetProperty("active").GetBoolean());
        Assert.Equal(userId, body.GetProperty("sub").GetString());
        Assert.Equal(tokens.SessionId, body.GetProperty("sid").GetString());
        Assert.Equal(username, body.GetProperty("username").GetString());
        Assert.Equal("laptop", body.GetProperty("device_id").GetString());
        Assert.Equal("access_token", body.GetProperty("token_type").GetString());
        Assert.Equal(SessionsApp.Issuer, body.GetProperty("iss").GetString());
        Assert.Equal("sessions-api", body.GetProperty("aud").GetString());
        foreach (var field in new[] { "jti", "exp", "iat" })
            Assert.True(body.TryGetProperty(field, out _), field);
    }

    [Fact]
    public async Task Introspect_EndedSessionOrGarbage_IsInactive()
    {
        using var client = app.NewClient();
        var admin = await client.AdminLogin();
        var (_, _, tokens) = await client.NewUser();
        await client.StatusOf(client.Post("/auth/logout", tokens.AccessToken));

        using var ended = await Introspect(client, tokens.AccessToken, admin.AccessToken);
        using var garbage = await Introspect(client, "garbage", admin.AccessToken);

        Assert.Equal("""{"active":false}""", await ended.Content.ReadAsStringAsync());
        Assert.Equal("""{"active":false}""", await garbage.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Introspect_WithoutAdminToken_Returns401()
    {
        using var client = app.NewClient();
        var (_, _, tokens) = await client.NewUser();

        Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOf(Introspect(client, tokens.AccessToken, callerToken: null)));
        using var nonAdmin = await Introspect(client, tokens.AccessToken, tokens.AccessToken);
        Assert.Equal(HttpStatusCode.Unauthorized, nonAdmin.StatusCode);
        Assert.StartsWith("Bearer error=\"invalid_token\"", nonAdmin.Headers.WwwAuthenticate.ToString());
    }
}
