using System.Net;
using Npgsql;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Cluster.Fencing;

/// <summary>
/// The real silo host in the clustered topology (Cluster:Provider=Postgres, co-hosting the HTTP API) on the throwaway
/// PostgreSQL: what HTTP clients and load balancers see once its membership table stops answering.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class FencedServiceTests(PostgresServer server) : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private string _connectionString = "";
    private ClusteredSiloApp? _app;

    private ClusteredSiloApp App => _app!;

    public async Task InitializeAsync()
    {
        _connectionString = await server.CreateDatabaseAsync();
        _app = new ClusteredSiloApp(_connectionString, new Dictionary<string, string?> { ["Cluster:Fence:Duration"] = "00:00:02" });
        // Start-up itself runs the bootstrap-admin task through a Sessions grain, so it only completes with the fence open.
        using var client = App.NewClient();
        Assert.Equal(HttpStatusCode.OK, (await client.Http.GetAsync("/health/ready")).StatusCode);
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
            await _app.DisposeAsync();
    }

    [Fact]
    public async Task Ready_WhileFenced_Is503NamingTheFence()
    {
        using var client = App.NewClient();
        await using var outage = await StopAnswering();

        string? body = null;
        await Eventually.Succeeds(async () =>
        {
            using var response = await client.Http.GetAsync("/health/ready");
            body = await response.Content.ReadAsStringAsync();
            return response.StatusCode == HttpStatusCode.ServiceUnavailable;
        }, Deadline);

        Assert.Contains("This silo is fenced: its membership row was last confirmed Active", body);
    }

    [Fact]
    public async Task Me_WhileFenced_Is503WithRetryAfter()
    {
        using var client = App.NewClient();
        var (_, _, tokens) = await client.NewUser();
        await using var outage = await StopAnswering();

        HttpResponseMessage? refused = null;
        await Eventually.Succeeds(async () =>
        {
            var response = await client.Get("/me", tokens.AccessToken);
            if (response.StatusCode == HttpStatusCode.OK)
                return false;
            refused = response;
            return true;
        }, Deadline);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused!.StatusCode);
        Assert.True(refused.Headers.RetryAfter is not null, "a 503 must say when to retry");
    }

    [Fact]
    public async Task Metrics_WhileFenced_ShowTheGaugeAtOneAndTheRefusals()
    {
        using var client = App.NewClient();
        var (_, _, tokens) = await client.NewUser();
        Assert.Equal(0, (await PrometheusText.Scrape(client.Http))["sessions_silo_fenced"]);
        await using var outage = await StopAnswering();

        await Eventually.Succeeds(async () => (await client.Get("/me", tokens.AccessToken)).StatusCode == HttpStatusCode.ServiceUnavailable, Deadline);
        var metrics = await PrometheusText.Scrape(client.Http);

        Assert.Equal(1, metrics["sessions_silo_fenced"]);
        Assert.True(metrics["sessions_silo_fenced_refusals"] >= 1, metrics.Text);
    }

    /// <summary>Holds an exclusive lock on the membership table: every read of it waits until the lock is released.</summary>
    private async Task<NpgsqlConnection> StopAnswering()
    {
        var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var begin = new NpgsqlCommand("BEGIN; LOCK TABLE orleans_membership IN ACCESS EXCLUSIVE MODE", connection);
        await begin.ExecuteNonQueryAsync();
        return connection;
    }
}
