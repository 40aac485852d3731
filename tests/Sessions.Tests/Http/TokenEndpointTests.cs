using System.Net;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Http;

[Collection(AppCollection.Name)]
public sealed class TokenEndpointTests(SessionsApp app)
{
    [Fact]
    public async Task PasswordGrant_ValidCredentials_ReturnsTokenPairThatIsNotCached()
    {
        using var client = app.NewClient();
        var username = SessionsClient.NewUsername();
        await client.Register(username);

        using var response = await client.PostToken(("grant_type", "password"), ("username", username), ("password", SessionsClient.Password), ("client_id", "ignored"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl!.NoStore);
        var json = await SessionsClient.Json(response);
        Assert.Equal("Bearer", json.GetProperty("token_type").GetString());
        Assert.Equal(300, json.GetProperty("expires_in").GetInt32());
        Assert.False(string.IsNullOrEmpty(json.GetProperty("refresh_token").GetString()));
        Assert.False(string.IsNullOrEmpty(json.GetProperty("session_id").GetString()));
        Assert.False(string.IsNullOrEmpty(json.GetProperty("device_id").GetString()));
    }

    [Fact]
    public async Task PasswordGrant_JsonBody_IsAccepted()
    {
        using var client = app.NewClient();
        var username = SessionsClient.NewUsername();
        await client.Register(username);

        using var response = await client.Http.PostAsync("/oauth/token", new StringContent(
            $$"""{"grant_type":"password","username":"{{username}}","password":"{{SessionsClient.Password}}"}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task AccessToken_Issued_IsAnRfc9068Es256Jwt()
    {
        using var client = app.NewClient();
        var (userId, _, tokens) = await client.NewUser(deviceId: "phone-1");

        var jwt = new JsonWebToken(tokens.AccessToken);

        Assert.Equal("ES256", jwt.Alg);
        Assert.Equal("at+jwt", jwt.Typ);
        Assert.False(string.IsNullOrEmpty(jwt.Kid));
        Assert.Equal(SessionsApp.Issuer, jwt.Issuer);
        Assert.Equal(["sessions-api"], jwt.Audiences);
        Assert.Equal(userId, jwt.Subject);
        Assert.Equal(tokens.SessionId, jwt.GetClaim("sid").Value);
        Assert.Equal("phone-1", jwt.GetClaim("device_id").Value);
        Assert.False(string.IsNullOrEmpty(jwt.Id));
        Assert.False(jwt.TryGetClaim("role", out _));
        Assert.Equal(TimeSpan.FromMinutes(5), jwt.ValidTo - jwt.IssuedAt);
        Assert.Equal(jwt.IssuedAt, jwt.ValidFrom);
    }

    [Fact]
    public async Task AccessToken_OfAdmin_CarriesAdminRole()
    {
        using var client = app.NewClient();

        var tokens = await client.AdminLogin();

        Assert.Equal("admin", new JsonWebToken(tokens.AccessToken).GetClaim("role").Value);
    }

    [Fact]
    public async Task PasswordGrant_WrongPasswordAndUnknownUser_AreIndistinguishable()
    {
        using var client = app.NewClient();
        var username = SessionsClient.NewUsername();
        await client.Register(username);

        using var wrongPassword = await client.PostToken(("grant_type", "password"), ("username", username), ("password", "not the password"));
        using var unknownUser = await client.PostToken(("grant_type", "password"), ("username", SessionsClient.NewUsername()), ("password", "not the password"));

        Assert.Equal(HttpStatusCode.BadRequest, wrongPassword.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknownUser.StatusCode);
        var first = await wrongPassword.Content.ReadAsStringAsync();
        Assert.Equal(first, await unknownUser.Content.ReadAsStringAsync());
        Assert.Equal("invalid_grant", (await SessionsClient.Json(wrongPassword)).GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("grant_type=password&username=someone")]
    [InlineData("grant_type=password&password=something")]
    [InlineData("grant_type=refresh_token")]
    [InlineData("username=a&password=b")]
    [InlineData("grant_type=password&username=someone&password=secret123&device_id=has%20space")]
    public async Task Token_MissingOrMalformedParameters_ReturnsInvalidRequest(string form)
    {
        using var client = app.NewClient();

        using var response = await client.Http.PostAsync("/oauth/token", new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request", (await SessionsClient.Json(response)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Token_UnknownGrantType_ReturnsUnsupportedGrantType()
    {
        using var client = app.NewClient();

        using var response = await client.PostToken(("grant_type", "client_credentials"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("unsupported_grant_type", (await SessionsClient.Json(response)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task PasswordGrant_SameDeviceAgain_EndsTheOlderSession()
    {
        using var client = app.NewClient();
        var (_, username, first) = await client.NewUser(deviceId: "laptop");

        var second = await client.Login(username, deviceId: "laptop");

        Assert.NotEqual(first.SessionId, second.SessionId);
        Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOf(client.Get("/me", first.AccessToken)));
        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Get("/me", second.AccessToken)));
    }

    [Fact]
    public async Task PasswordGrant_PastTheCap_EndsTheLeastRecentlyUsedSession()
    {
        using var client = app.NewClient();
        var (_, username, oldest) = await client.NewUser(deviceId: "d0");
        var others = new List<Tokens>();
        for (var i = 1; i < 5; i++)
        {
            app.Time.Advance(TimeSpan.FromSeconds(1));
            others.Add(await client.Login(username, deviceId: $"d{i}"));
        }
        // Using the oldest session makes the second one the least recently used.
        app.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Get("/me", oldest.AccessToken)));

        var sixth = await client.Login(username, deviceId: "d5");

        Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOf(client.Get("/me", others[0].AccessToken)));
        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Get("/me", oldest.AccessToken)));
        using var sessions = await client.Get("/me/sessions", sixth.AccessToken);
        Assert.Equal(5, (await SessionsClient.Json(sessions)).GetArrayLength());
    }

    [Fact]
    public async Task PasswordGrant_AfterMaxFailures_LocksTheAccountUntilTheDurationPasses()
    {
        using var client = app.NewClient();
        var username = SessionsClient.NewUsername();
        await client.Register(username);
        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.BadRequest, await client.StatusOf(client.PostToken(("grant_type", "password"), ("username", username), ("password", "wrong password"))));

        using var locked = await client.PostToken(("grant_type", "password"), ("username", username), ("password", SessionsClient.Password));
        Assert.Equal(HttpStatusCode.BadRequest, locked.StatusCode);
        Assert.Equal("invalid_grant", (await SessionsClient.Json(locked)).GetProperty("error").GetString());

        app.Time.Advance(TimeSpan.FromMinutes(15));
        await client.Login(username);
    }
}
