using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Doors;

/// <summary>
/// samples/Orders.Api, unchanged, as an Orleans client of a real single-process Sessions silo: it joins through
/// the silo's gateway port and trusts only what Sessions.AspNetCore decides.
/// </summary>
public sealed class OrdersSample : IAsyncLifetime
{
    public SessionsApp Sessions { get; } = new();

    public WebApplicationFactory<Program> Orders { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // The silo must be up before the client joins it.
        using (Sessions.CreateClient())
        {
        }
        Orders = new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        {
            host.UseSetting("Cluster:GatewayPort", Sessions.GatewayPort.ToString());
            host.UseSetting("Sessions:Issuer", SessionsApp.Issuer);
            host.UseSetting("Sessions:KeyRingLease", "00:00:02");
            host.UseSetting("Logging:LogLevel:Default", "Warning");
        });
        using var orders = Orders.CreateClient();
        // Connected once the key ring has answered: a token from the silo then verifies here.
        await Eventually.Succeeds(async () => (await orders.GetAsync("/")).IsSuccessStatusCode, TimeSpan.FromSeconds(30), "the sample API starts");
    }

    public async Task DisposeAsync()
    {
        await Orders.DisposeAsync();
        await Sessions.DisposeAsync();
    }
}
