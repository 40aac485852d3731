using System.Net;
using System.Text.Json;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Http;

/// <summary>What a validating gateway in front of the service reads from the document.</summary>
[Collection(AppCollection.Name)]
public sealed class OpenApiFidelityTests(SessionsApp app)
{
    private async Task<JsonElement> Document()
    {
        using var client = app.NewClient();
        using var response = await client.Get("/openapi/v1.json", accessToken: null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await SessionsClient.Json(response);
    }

    private static JsonElement Operation(JsonElement document, string path, string method) =>
        document.GetProperty("paths").GetProperty(path).GetProperty(method);

    private static string[] Required(JsonElement operation, string contentType) =>
        operation.GetProperty("requestBody").GetProperty("content").GetProperty(contentType).GetProperty("schema") is var schema
        && schema.TryGetProperty("required", out var required)
            ? required.EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal).ToArray()
            : [];

    [Theory]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/json")]
    public async Task Document_TokenBody_RequiresOnlyGrantType(string contentType) =>
        Assert.Equal(["grant_type"], Required(Operation(await Document(), "/oauth/token", "post"), contentType));

    [Theory]
    [InlineData("/oauth/revoke")]
    [InlineData("/oauth/introspect")]
    public async Task Document_TokenParameterBody_RequiresOnlyToken(string path) =>
        Assert.Equal(["token"], Required(Operation(await Document(), path, "post"), "application/x-www-form-urlencoded"));

    [Theory]
    [InlineData("/oauth/revoke")]
    [InlineData("/oauth/introspect")]
    public async Task Document_RevokeAndIntrospect_Document413(string path) =>
        Assert.True(Operation(await Document(), path, "post").GetProperty("responses").TryGetProperty("413", out _));

    [Fact]
    public async Task Document_Ready_Documents200TextAnd503Problem()
    {
        var responses = Operation(await Document(), "/health/ready", "get").GetProperty("responses");

        Assert.True(responses.GetProperty("200").GetProperty("content").TryGetProperty("text/plain", out _));
        Assert.True(responses.GetProperty("503").GetProperty("content").TryGetProperty("application/problem+json", out _));
    }

    [Fact]
    public async Task Document_Live_Documents200AsText()
    {
        var responses = Operation(await Document(), "/health/live", "get").GetProperty("responses");

        Assert.True(responses.GetProperty("200").GetProperty("content").TryGetProperty("text/plain", out _));
    }

    [Fact]
    public async Task Document_ProblemDetails_RequiresTypeTitleStatusAndDetail()
    {
        var schema = (await Document()).GetProperty("components").GetProperty("schemas").GetProperty("ProblemDetails");

        Assert.Equal(["detail", "status", "title", "type"], schema.GetProperty("required").EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal));
    }
}
