using System.Net;
using System.Net.Http.Headers;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Observability;

/// <summary>What OpenTelemetry exports: the families on <c>/metrics</c> and their names, the measuring switch, OTLP and traces when configured.</summary>
public sealed class TelemetryExportTests
{
    // Every family other than sessions_* that /metrics may hold (README, "Metrics"); nothing else is listened to.
    private static readonly string[] ChosenFamilies =
    [
        "http_server_request_duration_seconds",
        "kestrel_active_connections",
        "dotnet_process_cpu_time_seconds",
        "dotnet_process_memory_working_set_bytes",
        "dotnet_gc_collections",
        "dotnet_gc_last_collection_heap_size_bytes",
        "dotnet_gc_pause_time_seconds",
    ];

    [Fact]
    public async Task Metrics_AfterRequests_HoldOnlySessionsAndTheChosenFamilies()
    {
        await using var app = new SessionsApp();
        using var client = app.NewClient();
        var (_, _, tokens) = await client.NewUser();
        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Get("/me", tokens.AccessToken)));

        var families = Families((await PrometheusText.Scrape(client.Http)).Text);

        Assert.Contains("http_server_request_duration_seconds", families);
        Assert.Contains("sessions_access_tokens_accepted", families);
        Assert.Empty(families.Where(f => !f.StartsWith("sessions_", StringComparison.Ordinal)).Except(ChosenFamilies));
    }

    [Fact]
    public async Task Metrics_TwoHostsInOneProcess_EachCountsOnlyItsOwnLogins()
    {
        await using var first = new SessionsApp();
        await using var second = new SessionsApp();
        using var firstClient = first.NewClient();
        using var secondClient = second.NewClient();
        var before = await PrometheusText.Scrape(secondClient.Http);

        await firstClient.NewUser();
        var firstAfter = await PrometheusText.Scrape(firstClient.Http);
        var secondAfter = await PrometheusText.Scrape(secondClient.Http);

        Assert.Equal(1, firstAfter["sessions_logins_succeeded"]);
        Assert.Equal(0, secondAfter["sessions_logins_succeeded"] - before["sessions_logins_succeeded"]);
    }

    [Fact]
    public async Task Metrics_OpenMetricsAsked_CountersKeepTheirNamesWithoutTotal()
    {
        await using var app = new SessionsApp();
        using var client = app.NewClient();
        await client.NewUser();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse("application/openmetrics-text; version=1.0.0"));

        using var response = await client.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("# TYPE sessions_logins_succeeded counter", text);
        Assert.DoesNotContain("sessions_logins_succeeded_total", text);
    }

    [Fact]
    public async Task Metrics_Disabled_AreNotServedAndTheApiStillAnswers()
    {
        await using var app = new SessionsApp(null, new Dictionary<string, string?> { ["Sessions:Telemetry:Metrics"] = "false" });
        using var client = app.NewClient();

        Assert.Equal(HttpStatusCode.NotFound, await client.StatusOf(client.Http.GetAsync("/metrics")));
        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Http.GetAsync("/.well-known/jwks.json")));
    }

    [Fact]
    public async Task Traces_OnWithoutOtlpEndpoint_StopsStartUpNamingTheSetting()
    {
        await using var app = new SessionsApp(null, new Dictionary<string, string?> { ["Sessions:Telemetry:Traces"] = "true" });

        var failure = Assert.ThrowsAny<Exception>(() => app.NewClient());

        Assert.Contains("Sessions:Telemetry:Traces", failure.ToString());
    }

    [Fact]
    public async Task Otlp_EndpointConfigured_ExportsSessionsMetrics()
    {
        await using var receiver = await OtlpReceiver.Start();
        await using var app = new SessionsApp(null, Otlp(receiver));
        using var client = app.NewClient();

        await client.NewUser();

        await Eventually.Succeeds(() => Task.FromResult(receiver.Received("/v1/metrics", "sessions_logins_succeeded", "http.server.request.duration")),
            TimeSpan.FromSeconds(30), "an OTLP metrics export naming the login counter");
    }

    [Fact]
    public async Task Otlp_TracesOn_ExportsRequestAndGrainCallSpans()
    {
        await using var receiver = await OtlpReceiver.Start();
        await using var app = new SessionsApp(null, new Dictionary<string, string?>(Otlp(receiver)) { ["Sessions:Telemetry:Traces"] = "true" });
        using var client = app.NewClient();
        var (_, _, tokens) = await client.NewUser();

        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Get("/me", tokens.AccessToken)));

        await Eventually.Succeeds(() => Task.FromResult(receiver.Received("/v1/traces", "Microsoft.AspNetCore", "Microsoft.Orleans.Application", "/me")),
            TimeSpan.FromSeconds(30), "an OTLP traces export with the request's span and its grain calls");
    }

    private static Dictionary<string, string?> Otlp(OtlpReceiver receiver) => new()
    {
        ["Sessions:Telemetry:OtlpEndpoint"] = receiver.BaseAddress.ToString(),
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        // Exports every few hundred milliseconds instead of every minute (metrics) or five seconds (traces).
        ["OTEL_METRIC_EXPORT_INTERVAL"] = "250",
        ["OTEL_BSP_SCHEDULE_DELAY"] = "250",
    };

    private static HashSet<string> Families(string text) =>
        text.Split('\n').Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal)).Select(l => l.Split(' ')[2]).ToHashSet();
}
