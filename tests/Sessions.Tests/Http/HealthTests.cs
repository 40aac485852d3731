using System.Net;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Http;

[Collection(AppCollection.Name)]
public sealed class HealthTests(SessionsApp app)
{
    [Fact]
    public async Task Ready_WhenSiloStartedAndStorageAnswers_Returns200()
    {
        using var client = app.NewClient();

        using var response = await client.Get("/health/ready", accessToken: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ready", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Ready_WhileStorageCannotBeRead_Returns503NamingStorage_AndLiveStays200()
    {
        using var client = app.NewClient();
        HttpResponseMessage ready, live;
        app.Storage!.ReadsFailing = true;
        try
        {
            ready = await client.Get("/health/ready", accessToken: null);
            live = await client.Get("/health/live", accessToken: null);
        }
        finally
        {
            app.Storage.ReadsFailing = false;
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("application/problem+json", ready.Content.Headers.ContentType!.MediaType);
        Assert.Contains("Grain storage did not answer.", (await SessionsClient.Json(ready)).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Get("/health/ready", accessToken: null)));
    }
}
