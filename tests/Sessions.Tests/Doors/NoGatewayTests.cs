using System.Net;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Doors;

[Collection(AppCollection.Name)]
public sealed class NoGatewayTests(SessionsApp app)
{
    [Fact]
    public async Task Unconfigured_NoGatewayRoutes_Returns404()
    {
        using var client = app.NewClient();
        var (_, _, tokens) = await client.NewUser();

        Assert.Equal(HttpStatusCode.NotFound, await client.StatusOf(client.Get("/api/orders", tokens.AccessToken)));
    }
}
