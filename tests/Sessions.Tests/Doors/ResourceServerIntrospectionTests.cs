using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Duende.IdentityModel.Client;
using Microsoft.Extensions.Options;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Doors;

/// <summary>RFC 7662 introspection by a resource server, driven by an outside client library (Duende.IdentityModel).</summary>
[Collection(ResourceServerCollection.Name)]
public sealed class ResourceServerIntrospectionTests(ResourceServerApp app)
{
    [Theory]
    [InlineData(ClientCredentialStyle.AuthorizationHeader)]
    [InlineData(ClientCredentialStyle.PostBody)]
    public async Task Introspect_ResourceServerCredentials_DescribeALiveToken(ClientCredentialStyle style)
    {
        using var client = app.NewClient();
        var (userId, username, tokens) = await client.NewUser(deviceId: "tablet");

        var introspection = await Introspect(client, tokens.AccessToken, ResourceServerApp.Secret, style);

        Assert.False(introspection.IsError, introspection.Error);
        Assert.True(introspection.IsActive);
        Assert.Equal(userId, introspection.Json!.Value.GetProperty("sub").GetString());
        Assert.Equal(username, introspection.Json!.Value.GetProperty("username").GetString());
        Assert.Equal("tablet", introspection.Json!.Value.GetProperty("device_id").GetString());
    }

    [Theory]
    [InlineData(ClientCredentialStyle.AuthorizationHeader)]
    [InlineData(ClientCredentialStyle.PostBody)]
    public async Task Introspect_WrongSecret_Returns401InvalidClient(ClientCredentialStyle style)
    {
        using var client = app.NewClient();
        var (_, _, tokens) = await client.NewUser();

        var introspection = await Introspect(client, tokens.AccessToken, ResourceServerApp.Secret + "x", style);

        Assert.True(introspection.IsError);
        Assert.Equal(HttpStatusCode.Unauthorized, introspection.HttpStatusCode);
        // The library reports an HTTP error by its status; the RFC 6749 §5.2 body is in the raw response.
        Assert.Equal("invalid_client", JsonDocument.Parse(introspection.Raw!).RootElement.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("Basic b3JkZXJzLWFwaTp3cm9uZy1zZWNyZXQtb2YtdGhlLXJpZ2h0LWxlbmd0aA==")] // orders-api:wrong-secret-of-the-right-length
    [InlineData("Basic bm8tc3VjaC1jbGllbnQ6b3JkZXJzLWFwaS1zZWNyZXQtZm9yLXRlc3Rz")] // no-such-client:<the real secret>
    [InlineData("Basic not-base64!")]
    [InlineData("Basic b3JkZXJzLWFwaQ==")] // orders-api, no colon
    public async Task Introspect_BadBasicCredential_Returns401WithBasicChallenge(string authorization)
    {
        using var client = app.NewClient();
        var (_, _, tokens) = await client.NewUser();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/oauth/introspect")
        {
            Content = new FormUrlEncodedContent([KeyValuePair.Create("token", tokens.AccessToken)]),
        };
        request.Headers.TryAddWithoutValidation("Authorization", authorization);

        using var response = await client.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Basic realm=\"sessions\"", Assert.Single(response.Headers.WwwAuthenticate).ToString());
        Assert.Equal("invalid_client", (await SessionsClient.Json(response)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Introspect_ClientIdWithoutSecret_Returns401InvalidClient()
    {
        using var client = app.NewClient();
        var (_, _, tokens) = await client.NewUser();

        using var response = await client.Http.PostAsync("/oauth/introspect", new FormUrlEncodedContent(
            [KeyValuePair.Create("token", tokens.AccessToken), KeyValuePair.Create("client_id", ResourceServerApp.ClientId)]));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Basic realm=\"sessions\"", Assert.Single(response.Headers.WwwAuthenticate).ToString());
    }

    [Fact]
    public async Task Introspect_RevokedToken_IsInactiveForTheResourceServer()
    {
        using var client = app.NewClient();
        var (_, _, tokens) = await client.NewUser();
        Assert.Equal(HttpStatusCode.NoContent, await client.StatusOf(client.Post("/auth/logout", tokens.AccessToken)));

        var introspection = await Introspect(client, tokens.AccessToken, ResourceServerApp.Secret, ClientCredentialStyle.AuthorizationHeader);

        Assert.False(introspection.IsError, introspection.Error);
        Assert.False(introspection.IsActive);
    }

    [Fact]
    public async Task Introspect_ByResourceServer_SlidesTheSession()
    {
        using var client = app.NewClient();
        var admin = await client.AdminLogin();
        var (userId, _, tokens) = await client.NewUser();
        var before = await LastSeen(client, admin.AccessToken, userId);
        app.Time.Advance(TimeSpan.FromMinutes(1));

        Assert.True((await Introspect(client, tokens.AccessToken, ResourceServerApp.Secret, ClientCredentialStyle.PostBody)).IsActive);

        Assert.Equal(before + TimeSpan.FromMinutes(1), await LastSeen(client, admin.AccessToken, userId));
    }

    [Fact]
    public async Task Introspect_ByAdmin_DoesNotSlideTheSession()
    {
        using var client = app.NewClient();
        var admin = await client.AdminLogin();
        var (userId, _, tokens) = await client.NewUser();
        var before = await LastSeen(client, admin.AccessToken, userId);
        app.Time.Advance(TimeSpan.FromMinutes(1));
        var request = new TokenIntrospectionRequest { Address = "/oauth/introspect", Token = tokens.AccessToken, ClientCredentialStyle = ClientCredentialStyle.PostBody };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", admin.AccessToken);

        Assert.True((await client.Http.IntrospectTokenAsync(request)).IsActive);

        Assert.Equal(before, await LastSeen(client, admin.AccessToken, userId));
    }

    [Fact]
    public async Task Metadata_ListsBothClientAuthenticationMethods()
    {
        using var client = app.NewClient();

        using var response = await client.Get("/.well-known/oauth-authorization-server", accessToken: null);

        var methods = (await SessionsClient.Json(response)).GetProperty("introspection_endpoint_auth_methods_supported")
            .EnumerateArray().Select(m => m.GetString()!).ToArray();
        Assert.Equal(["bearer", "client_secret_basic", "client_secret_post"], methods);
    }

    [Fact]
    public void Startup_ShortSecret_FailsNamingTheSetting()
    {
        using var broken = new SessionsApp(null, new Dictionary<string, string?> { ["Sessions:ResourceServers:billing:Secret"] = "short" });

        var failure = Assert.Throws<OptionsValidationException>(() => broken.CreateClient());

        Assert.Contains("Sessions:ResourceServers:billing:Secret must be set and at least 16 characters.", failure.Message);
    }

    private static Task<TokenIntrospectionResponse> Introspect(SessionsClient client, string token, string secret, ClientCredentialStyle style) =>
        client.Http.IntrospectTokenAsync(new TokenIntrospectionRequest
        {
            Address = "/oauth/introspect",
            ClientId = ResourceServerApp.ClientId,
            ClientSecret = secret,
            ClientCredentialStyle = style,
            Token = token,
        });

    private static async Task<DateTimeOffset> LastSeen(SessionsClient client, string adminToken, string userId)
    {
        using var response = await client.Get($"/admin/users/{userId}/sessions", adminToken);
        return (await SessionsClient.Json(response))[0].GetProperty("lastSeenAt").GetDateTimeOffset();
    }
}
