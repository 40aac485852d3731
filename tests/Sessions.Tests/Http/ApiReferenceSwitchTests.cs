using System.Net;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Http;

public sealed class ApiReferenceSwitchTests : IAsyncLifetime
{
    private readonly SessionsApp _app = new(null, new Dictionary<string, string?> { ["Sessions:ApiReference"] = "false" });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task ApiReference_TurnedOff_IsNotServed_ButTheDocumentIs()
    {
        using var client = _app.NewClient();

        Assert.Equal(HttpStatusCode.NotFound, await client.StatusOf(client.Get("/scalar/v1", accessToken: null)));
        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Get("/openapi/v1.json", accessToken: null)));
    }
}
