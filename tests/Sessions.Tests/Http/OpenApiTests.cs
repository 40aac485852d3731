using System.Net;
using System.Text.Json;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Http;

[Collection(AppCollection.Name)]
public sealed class OpenApiTests(SessionsApp app)
{
    private static readonly string[] Methods = ["get", "post", "put", "delete", "patch"];

    private async Task<JsonElement> Document()
    {
        using var client = app.NewClient();
        using var response = await client.Get("/openapi/v1.json", accessToken: null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await SessionsClient.Json(response);
    }

    private static IEnumerable<(string Path, string Method, JsonElement Operation)> Operations(JsonElement document) =>
        from path in document.GetProperty("paths").EnumerateObject()
        from operation in path.Value.EnumerateObject()
        where Methods.Contains(operation.Name)
        select (path.Name, operation.Name, operation.Value);

    private static JsonElement Operation(JsonElement document, string path, string method) =>
        document.GetProperty("paths").GetProperty(path).GetProperty(method);

    private static bool NeedsBearer(JsonElement operation) =>
        operation.TryGetProperty("security", out var security) && security.EnumerateArray().Any(r => r.TryGetProperty("Bearer", out _));

    private static string[] Statuses(JsonElement operation) =>
        operation.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToArray();

    [Fact]
    public async Task Document_DeclaresTheBearerScheme()
    {
        var scheme = (await Document()).GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");

        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
        Assert.Equal("JWT", scheme.GetProperty("bearerFormat").GetString());
    }

    [Fact]
    public async Task Document_EveryOperation_HasASummaryAndAnOperationId()
    {
        var operations = Operations(await Document()).ToList();

        Assert.True(operations.Count >= 20, $"only {operations.Count} operations");
        foreach (var (path, method, operation) in operations)
        {
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()), $"{method} {path}");
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("operationId").GetString()), $"{method} {path}");
        }
    }

    [Fact]
    public async Task Document_ProtectedOperations_NeedTheBearerSchemeAndDocument401()
    {
        var document = await Document();

        foreach (var (path, method, operation) in Operations(document).Where(o => o.Path.StartsWith("/me") || o.Path.StartsWith("/admin")))
        {
            Assert.True(NeedsBearer(operation), $"{method} {path}");
            Assert.Contains("401", Statuses(operation));
            Assert.Contains("503", Statuses(operation));
            if (path.StartsWith("/admin"))
                Assert.Contains("403", Statuses(operation));
        }
        Assert.True(NeedsBearer(Operation(document, "/oauth/introspect", "post")));
        Assert.True(NeedsBearer(Operation(document, "/auth/logout", "post")));
        Assert.False(NeedsBearer(Operation(document, "/oauth/token", "post")));
        Assert.False(NeedsBearer(Operation(document, "/.well-known/jwks.json", "get")));
    }

    [Fact]
    public async Task Document_TokenEndpoint_DescribesItsFormParametersAndErrors()
    {
        var document = await Document();
        var token = Operation(document, "/oauth/token", "post");

        var content = token.GetProperty("requestBody").GetProperty("content");
        Assert.True(content.TryGetProperty("application/x-www-form-urlencoded", out _));
        Assert.True(content.TryGetProperty("application/json", out _));
        var schema = Resolve(document, content.GetProperty("application/x-www-form-urlencoded").GetProperty("schema"));
        var properties = schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Equal(["grant_type", "username", "password", "refresh_token", "device_id", "device_name"], properties);
        Assert.Equal(["200", "400", "413", "429", "503"], Statuses(token).Order().ToArray());
    }

    [Fact]
    public async Task Document_NotFoundAnswers_AreDocumentedAsProblems()
    {
        var document = await Document();

        foreach (var (path, method) in new[] { ("/admin/users", "get"), ("/me/sessions/{sessionId}", "delete"), ("/admin/signing-keys/{kid}", "delete") })
        {
            var notFound = Operation(document, path, method).GetProperty("responses").GetProperty("404");
            Assert.True(notFound.GetProperty("content").TryGetProperty("application/problem+json", out _), $"{method} {path}");
        }
    }

    [Fact]
    public async Task ApiReference_InDevelopment_ServesScalarFromTheHostItself()
    {
        using var client = app.NewClient();

        using var page = await client.Get("/scalar/v1", accessToken: null);
        using var script = await client.Get("/scalar/scalar.js", accessToken: null);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("openapi/v1.json", html);
        Assert.Contains("\"Bearer\"", html);
        // No CDN: the reference must work on a machine with no internet.
        Assert.DoesNotContain("cdn.", html);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
    }

    private static JsonElement Resolve(JsonElement document, JsonElement schema) =>
        schema.TryGetProperty("$ref", out var reference)
            ? document.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1])
            : schema;
}
