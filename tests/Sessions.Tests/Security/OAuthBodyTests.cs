using System.Net;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Security;

/// <summary>
/// Hostile bodies on the OAuth endpoints (token, revoke, introspect): an RFC 6749 §5.2 invalid_request, and neither a
/// login (the body carries the victim's credentials) nor a revocation (it carries their refresh token) happens.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class OAuthBodyTests(SessionsApp app)
{
    private const string NotJson = "The body is not valid JSON.";
    private const string NotObject = "The body must be a JSON object.";
    private const string WrongMediaType = "The body must be application/x-www-form-urlencoded or application/json.";
    private const string TooLarge = "The body is larger than 16384 bytes.";

    private static readonly Dictionary<string, (HttpStatusCode Status, string Description)> Expected = new()
    {
        ["malformed-json"] = (HttpStatusCode.BadRequest, NotJson),
        ["array-root"] = (HttpStatusCode.BadRequest, NotObject),
        ["number-root"] = (HttpStatusCode.BadRequest, NotObject),
        ["string-root"] = (HttpStatusCode.BadRequest, NotObject),
        ["null-root"] = (HttpStatusCode.BadRequest, NotObject),
        ["wrong-field-types"] = (HttpStatusCode.BadRequest, "The field 'username' must be a string."),
        ["deeply-nested"] = (HttpStatusCode.BadRequest, NotJson),
        ["four-mebibytes"] = (HttpStatusCode.RequestEntityTooLarge, TooLarge),
        ["four-mebibytes-unannounced"] = (HttpStatusCode.RequestEntityTooLarge, TooLarge),
        ["text-plain"] = (HttpStatusCode.BadRequest, WrongMediaType),
        ["application-xml"] = (HttpStatusCode.BadRequest, WrongMediaType),
        ["no-content-type"] = (HttpStatusCode.BadRequest, WrongMediaType),
        ["multipart"] = (HttpStatusCode.BadRequest, WrongMediaType),
        ["repeated-json-field"] = (HttpStatusCode.BadRequest, NotJson),
        ["repeated-form-parameter"] = (HttpStatusCode.BadRequest, "The parameter 'grant_type' is repeated."),
        ["non-utf8-json"] = (HttpStatusCode.BadRequest, "The body is not valid UTF-8."),
        ["non-utf8-form"] = (HttpStatusCode.BadRequest, "The form is not valid UTF-8."),
        ["lone-surrogate-json"] = (HttpStatusCode.BadRequest, NotJson),
        ["empty-json"] = (HttpStatusCode.BadRequest, NotJson),
    };

    public static TheoryData<string, string> Cases
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var endpoint in new[] { "/oauth/token", "/oauth/revoke", "/oauth/introspect" })
            {
                foreach (var body in Expected.Keys)
                    data.Add(endpoint, body);
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Post_HostileBody_ReturnsInvalidRequestAndChangesNothing(string endpoint, string body)
    {
        using var client = app.NewClient();
        var (_, username, victim) = await client.NewUser();
        using var request = await Request(client, endpoint, HostileBodies.Build(body,
            ("grant_type", "password"), ("username", username), ("password", SessionsClient.Password), ("token", victim.RefreshToken)));

        using var response = await client.Http.SendAsync(request);

        var (status, description) = Expected[body];
        await Hostile.AssertOAuthError(response, status, "invalid_request", description);
        await AssertOnlySession(client, victim);
    }

    [Theory]
    [InlineData("/oauth/token", "The grant_type parameter is missing.")]
    [InlineData("/oauth/revoke", "The token parameter is required.")]
    [InlineData("/oauth/introspect", "The token parameter is required.")]
    public async Task Post_EmptyForm_ReturnsInvalidRequest(string endpoint, string description)
    {
        using var client = app.NewClient();
        using var request = await Request(client, endpoint, HostileBodies.Build("empty-form"));

        using var response = await client.Http.SendAsync(request);

        await Hostile.AssertOAuthError(response, HttpStatusCode.BadRequest, "invalid_request", description);
    }

    [Fact]
    public async Task Introspect_HostileBodyWithoutToken_Returns401BeforeReadingIt()
    {
        using var client = app.NewClient();

        using var response = await client.Http.PostAsync("/oauth/introspect", HostileBodies.Build("four-mebibytes", ("token", "x")));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).ToString());
    }

    private static async Task<HttpRequestMessage> Request(SessionsClient client, string endpoint, HttpContent content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = content };
        if (endpoint == "/oauth/introspect")
            request.Headers.Authorization = new("Bearer", (await client.AdminLogin()).AccessToken);
        return request;
    }

    // No login happened (still one session) and no revocation did (that session still answers).
    private static async Task AssertOnlySession(SessionsClient client, Tokens victim)
    {
        using var response = await client.Get("/me/sessions", victim.AccessToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var session = Assert.Single((await SessionsClient.Json(response)).EnumerateArray());
        Assert.Equal(victim.SessionId, session.GetProperty("sessionId").GetString());
    }
}
