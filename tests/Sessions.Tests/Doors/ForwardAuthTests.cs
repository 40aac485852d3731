using System.Net;
using System.Net.Http.Headers;
using Sessions.Tests.Infrastructure;
using Sessions.Tests.Security;

namespace Sessions.Tests.Doors;

/// <summary>GET/any /auth/check through the real host, as a proxy would ask it.</summary>
[Collection(AppCollection.Name)]
public sealed class ForwardAuthTests(SessionsApp app)
{
    [Fact]
    public async Task Check_LiveToken_Returns200WithIdentityHeadersAndNoStore()
    {
        using var client = app.NewClient();
        var (userId, username, tokens) = await client.NewUser(deviceId: "laptop-1");

        using var response = await client.Get("/auth/check", tokens.AccessToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
        Assert.True(response.Headers.CacheControl!.NoStore);
        Assert.Equal(userId, Single(response, "X-Sessions-User-Id"));
        Assert.Equal(username, Single(response, "X-Sessions-Username"));
        Assert.Equal(tokens.SessionId, Single(response, "X-Sessions-Session-Id"));
        Assert.Equal("laptop-1", Single(response, "X-Sessions-Device-Id"));
        Assert.Equal("", Single(response, "X-Sessions-Roles"));
    }

    [Theory]
    [InlineData("POST", "/auth/check/api/orders/17")]
    [InlineData("DELETE", "/auth/check/api/orders")]
    [InlineData("PUT", "/auth/check")]
    [InlineData("PATCH", "/auth/check/x")]
    [InlineData("HEAD", "/auth/check")]
    [InlineData("PROPFIND", "/auth/check/dav")]
    public async Task Check_AnyMethodAndAppendedPath_Returns200(string method, string path)
    {
        using var client = app.NewClient();
        var (userId, _, tokens) = await client.NewUser();

        using var response = await client.Send(new HttpMethod(method), path, tokens.AccessToken, new StringContent("ignored"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(userId, Single(response, "X-Sessions-User-Id"));
    }

    [Fact]
    public async Task Check_NoToken_Returns401WithBareChallenge()
    {
        using var client = app.NewClient();

        using var response = await client.Get("/auth/check", accessToken: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        Assert.True(response.Headers.CacheControl!.NoStore);
        Assert.False(response.Headers.Contains("X-Sessions-User-Id"));
    }

    [Fact]
    public async Task Check_AfterGlobalLogout_Returns401OnTheVeryNextRequest()
    {
        using var client = app.NewClient();
        var (_, _, tokens) = await client.NewUser();
        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Get("/auth/check", tokens.AccessToken)));
        Assert.Equal(HttpStatusCode.NoContent, await client.StatusOf(client.Post("/auth/logout?scope=global", tokens.AccessToken)));

        using var response = await client.Get("/auth/check", tokens.AccessToken);

        await Hostile.AssertInvalidToken(response, "The session has ended.");
        Assert.False(response.Headers.Contains("X-Sessions-User-Id"));
    }

    [Fact]
    public async Task Check_RequiredRoleMissing_Returns403WithoutIdentityHeaders()
    {
        using var client = app.NewClient();
        var (_, _, tokens) = await client.NewUser();

        using var response = await client.Get("/auth/check?role=admin", tokens.AccessToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(response.Headers.Contains("X-Sessions-User-Id"));
    }

    [Fact]
    public async Task Check_AdminWithRoleRequired_Returns200WithRoles()
    {
        using var client = app.NewClient();
        var admin = await client.AdminLogin();

        using var response = await client.Get("/auth/check?role=admin", admin.AccessToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("admin", Single(response, "X-Sessions-Roles"));
    }

    [Fact]
    public async Task Check_EveryRepeatedRoleRequired_Returns403WhenOneIsMissing()
    {
        using var client = app.NewClient();
        var admin = await client.AdminLogin();

        using var response = await client.Get("/auth/check?role=admin&role=billing", admin.AccessToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("/auth/check?role=admin%0d%0aX-Sessions-User-Id:%20victim")]
    [InlineData("/auth/check?role=")]
    [InlineData("/auth/check?role=a%20b")]
    public async Task Check_HostileRole_Returns400(string path)
    {
        using var client = app.NewClient();
        var (_, _, tokens) = await client.NewUser();

        using var response = await client.Get(path, tokens.AccessToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.Contains("X-Sessions-User-Id"));
    }

    [Fact]
    public async Task Check_HugeRoleList_Returns400()
    {
        using var client = app.NewClient();
        var (_, _, tokens) = await client.NewUser();
        var query = string.Join('&', Enumerable.Range(0, 500).Select(i => $"role=r{i}"));

        using var response = await client.Get("/auth/check?" + query, tokens.AccessToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Check_EncodedCrLfInPath_StillDecidesOnTheTokenAlone()
    {
        using var client = app.NewClient();
        var (userId, _, tokens) = await client.NewUser();

        using var response = await client.Get("/auth/check/a%0d%0aX-Sessions-User-Id:%20victim", tokens.AccessToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(userId, Single(response, "X-Sessions-User-Id"));
    }

    [Fact]
    public async Task Check_DuplicateAuthorizationHeaders_Returns401()
    {
        using var client = app.NewClient();
        var (_, _, tokens) = await client.NewUser();
        var (_, _, other) = await client.NewUser();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/auth/check");
        request.Headers.TryAddWithoutValidation("Authorization", ["Bearer " + tokens.AccessToken, "Bearer " + other.AccessToken]);

        using var response = await client.Http.SendAsync(request);

        await Hostile.AssertInvalidToken(response, "The token is malformed.");
    }

    [Theory]
    [MemberData(nameof(ForgeryKinds))]
    public async Task Check_ForgedToken_Returns401(string kind)
    {
        using var client = app.NewClient();
        var (_, _, tokens) = await client.NewUser();
        var forged = Forge.ByKind(kind, tokens.AccessToken, await Hostile.PublishedKeyOf(client, tokens.AccessToken));

        using var response = await client.Get("/auth/check", forged);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(response.Headers.Contains("X-Sessions-User-Id"));
    }

    [Fact]
    public async Task Check_OversizedToken_Returns401()
    {
        using var client = app.NewClient();

        using var response = await client.Get("/auth/check", new string('a', 6000) + "." + new string('b', 6000) + ".c");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Document_ForwardAuth_IsDescribedWithItsAnswers()
    {
        using var client = app.NewClient();

        using var response = await client.Get("/openapi/v1.json", accessToken: null);

        var check = (await SessionsClient.Json(response)).GetProperty("paths").GetProperty("/auth/check").GetProperty("get");
        Assert.Equal(["200", "400", "401", "403", "503"], check.GetProperty("responses").EnumerateObject().Select(r => r.Name).Order().ToArray());
    }

    public static TheoryData<string> ForgeryKinds() => new(Forge.Kinds);

    private static string Single(HttpResponseMessage response, string header) =>
        Assert.Single(response.Headers.TryGetValues(header, out var values) ? values : []);
}
