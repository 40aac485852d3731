using System.Net;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Http;

/// <summary>The answers the framework gives on its own (no route, wrong method), HEAD and the root URL.</summary>
[Collection(AppCollection.Name)]
public sealed class HttpFidelityTests(SessionsApp app)
{
    [Fact]
    public async Task Get_UnknownPath_Returns404ProblemWithDetailAndOurType()
    {
        using var client = app.NewClient();

        using var response = await client.Get("/no/such/path", accessToken: null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await SessionsClient.Json(response);
        Assert.Equal("https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5", problem.GetProperty("type").GetString());
        Assert.Equal("No resource at this path; /openapi/v1.json lists every route.", problem.GetProperty("detail").GetString());
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Delete_GetOnlyPath_Returns405ProblemWithDetailAndOurType()
    {
        using var client = app.NewClient();

        using var response = await client.Delete("/.well-known/jwks.json", accessToken: null);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        var problem = await SessionsClient.Json(response);
        Assert.Equal("https://www.rfc-editor.org/rfc/rfc9110#section-15.5.6", problem.GetProperty("type").GetString());
        Assert.Equal("This path does not take this method; the Allow header lists the ones it does.", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/.well-known/jwks.json")]
    [InlineData("/openapi/v1.json")]
    [InlineData("/ui/account")]
    public async Task Head_GetRoute_Returns200WithNoBody(string path)
    {
        using var client = app.NewClient();

        using var response = await client.Send(HttpMethod.Head, path, accessToken: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Head_Me_Returns401LikeGet()
    {
        using var client = app.NewClient();

        using var response = await client.Send(HttpMethod.Head, "/me", accessToken: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Get_Root_LeadsToTheAccountPage()
    {
        using var client = app.NewClient(); // follows redirects

        using var response = await client.Get("/", accessToken: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/ui/account", response.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
    }
}
