using Microsoft.Extensions.Configuration;
using System.Net;
using Sessions.Grains;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Observability;

/// <summary>Where the operator endpoints answer: everywhere by default, only on the management port once one is set, or not at all.</summary>
public sealed class ManagementPortTests
{
    [Fact]
    public async Task ManagementPort_Set_ServesMetricsAndDashboardOnlyOnThatPort()
    {
        var apiPort = FreePorts.Next();
        var managementPort = FreePorts.Next();
        await using var app = new SessionsApp(null, new Dictionary<string, string?> { ["Sessions:Management:Port"] = managementPort.ToString() });
        app.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, apiPort);
            kestrel.Listen(IPAddress.Loopback, managementPort);
        });
        app.StartServer();
        using var http = new HttpClient();

        Assert.Equal(HttpStatusCode.NotFound, await Status(http, apiPort, "/metrics"));
        Assert.Equal(HttpStatusCode.NotFound, await Status(http, apiPort, "/dashboard/"));
        Assert.Equal(HttpStatusCode.OK, await Status(http, apiPort, "/.well-known/jwks.json"));
        Assert.Equal(HttpStatusCode.OK, await Status(http, managementPort, "/metrics"));
        Assert.Equal(HttpStatusCode.OK, await Status(http, managementPort, "/dashboard/"));
    }

    [Fact]
    public async Task ManagementPort_HostHeaderNamingIt_DoesNotOpenMetricsOnTheApiPort()
    {
        var apiPort = FreePorts.Next();
        var managementPort = FreePorts.Next();
        await using var app = new SessionsApp(null, new Dictionary<string, string?> { ["Sessions:Management:Port"] = managementPort.ToString() });
        app.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, apiPort);
            kestrel.Listen(IPAddress.Loopback, managementPort);
        });
        app.StartServer();
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{apiPort}/metrics");
        request.Headers.Host = $"127.0.0.1:{managementPort}";

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public void Dashboard_NotAskedFor_IsOff()
    {
        Assert.False(new ConfigurationBuilder().Build().ReadSettings<SessionsSiloOptions>(SessionsSiloOptions.SectionName).Dashboard.Enabled);
        Assert.True(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Sessions:Dashboard:Enabled"] = "true" }).Build()
            .ReadSettings<SessionsSiloOptions>(SessionsSiloOptions.SectionName).Dashboard.Enabled);
    }

    [Fact]
    public async Task Dashboard_Disabled_IsNotServed()
    {
        await using var app = new SessionsApp(null, new Dictionary<string, string?> { ["Sessions:Dashboard:Enabled"] = "false" });
        using var client = app.NewClient();

        Assert.Equal(HttpStatusCode.NotFound, await client.StatusOf(client.Http.GetAsync("/dashboard/")));
        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Http.GetAsync("/metrics")));
    }

    [Fact]
    public async Task ManagementPort_OutOfRange_StopsStartUpNamingTheSetting()
    {
        await using var app = new SessionsApp(null, new Dictionary<string, string?> { ["Sessions:Management:Port"] = "70000" });

        var failure = Assert.ThrowsAny<Exception>(() => app.NewClient());

        Assert.Contains("Sessions:Management:Port", failure.ToString());
    }

    private static async Task<HttpStatusCode> Status(HttpClient http, int port, string path)
    {
        using var response = await http.GetAsync($"http://127.0.0.1:{port}{path}");
        return response.StatusCode;
    }
}
