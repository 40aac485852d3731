using System.Net;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Observability;

/// <summary>The Orleans Dashboard on the single-process host.</summary>
[Collection(ObservedAppCollection.Name)]
public sealed class DashboardTests(ObservedSessionsApp app)
{
    [Fact]
    public async Task Dashboard_OnSingleProcessHost_ServesItsPage()
    {
        using var client = app.NewClient();

        using var response = await client.Http.GetAsync("/dashboard/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("<html", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Dashboard_ClusterStats_AnswersFromTheRunningSilo()
    {
        using var client = app.NewClient();

        using var response = await client.Http.GetAsync("/dashboard/ClusterStats");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Dashboard_LiveLogStream_IsOffByDefault()
    {
        using var client = app.NewClient();

        Assert.Equal(HttpStatusCode.Forbidden, await client.StatusOf(client.Http.GetAsync("/dashboard/Trace")));
    }

    [Fact]
    public async Task OpenApiDocument_DoesNotListTheDashboard()
    {
        using var client = app.NewClient();

        using var response = await client.Http.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("/dashboard", await response.Content.ReadAsStringAsync());
    }
}
