using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Security;

/// <summary>Steps and checks the security tests share: raw requests, the victim's liveness, the exact refusal shapes.</summary>
internal static class Hostile
{
    public const string ProblemJson = "application/problem+json";

    /// <summary>Sends <c>Authorization: Bearer {token}</c> without any client-side validation of the value.</summary>
    public static Task<HttpResponseMessage> SendBearer(SessionsClient client, HttpMethod method, string path, string token)
    {
        var request = new HttpRequestMessage(method, path);
        Assert.True(request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token));
        return client.Http.SendAsync(request);
    }

    /// <summary>
    /// A request whose already-decoded path holds characters no HTTP client will put on the wire (NUL): Kestrel refuses
    /// those with a 400 before the app runs, so this checks the app's own answer for a server that lets them through.
    /// </summary>
    public static async Task<HttpResponseMessage> SendDecodedPath(SessionsApp app, HttpMethod method, string decodedPath, string accessToken)
    {
        var context = await app.Server.SendAsync(c =>
        {
            c.Request.Method = method.Method;
            c.Request.Path = new Microsoft.AspNetCore.Http.PathString(decodedPath);
            c.Request.Headers.Authorization = "Bearer " + accessToken;
        });
        var response = new HttpResponseMessage((HttpStatusCode)context.Response.StatusCode)
        {
            Content = new StreamContent(context.Response.Body),
        };
        if (context.Response.ContentType is { } contentType)
            response.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return response;
    }

    public static Task<HttpResponseMessage> GetMe(SessionsClient client, string token) => SendBearer(client, HttpMethod.Get, "/me", token);

    public static ByteArrayContent Body(byte[] bytes, string? contentType)
    {
        var content = new ByteArrayContent(bytes);
        if (contentType is not null)
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return content;
    }

    /// <summary>An RFC 6750 invalid_token refusal: 401, the challenge carrying the same fixed text as the problem's detail.</summary>
    public static async Task AssertInvalidToken(HttpResponseMessage response, string detail)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal($"Bearer error=\"invalid_token\", error_description=\"{detail}\"", Assert.Single(response.Headers.WwwAuthenticate).ToString());
        await AssertProblem(response, HttpStatusCode.Unauthorized, "Unauthorized", detail);
    }

    public static async Task AssertProblem(HttpResponseMessage response, HttpStatusCode status, string title, string detail)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(ProblemJson, response.Content.Headers.ContentType?.MediaType);
        var problem = await SessionsClient.Json(response);
        Assert.StartsWith("https://www.rfc-editor.org/rfc/", problem.GetProperty("type").GetString());
        Assert.Equal(title, problem.GetProperty("title").GetString());
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.Equal(detail, problem.GetProperty("detail").GetString());
    }

    /// <summary>An RFC 6749 §5.2 error: JSON with exactly error and error_description, never cached.</summary>
    public static async Task AssertOAuthError(HttpResponseMessage response, HttpStatusCode status, string error, string description)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var body = await SessionsClient.Json(response);
        Assert.Equal(error, body.GetProperty("error").GetString());
        Assert.Equal(description, body.GetProperty("error_description").GetString());
        Assert.Equal(2, body.EnumerateObject().Count());
    }

    /// <summary>The victim's own token still opens its own session.</summary>
    public static async Task AssertLive(SessionsClient client, Tokens victim)
    {
        using var response = await client.Get("/me", victim.AccessToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(victim.SessionId, (await SessionsClient.Json(response)).GetProperty("sessionId").GetString());
    }

    /// <summary>The public key that verifies <paramref name="token"/>, as the service publishes it.</summary>
    public static async Task<JsonObject> PublishedKeyOf(SessionsClient client, string token)
    {
        var kid = Jwt.Header(token)["kid"]!.GetValue<string>();
        using var response = await client.Http.GetAsync("/.well-known/jwks.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var keys = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["keys"]!.AsArray();
        return keys.Single(k => k!["kid"]!.GetValue<string>() == kid)!.AsObject();
    }

    public static ECDsa NewP256Key() => ECDsa.Create(ECCurve.NamedCurves.nistP256);
}
