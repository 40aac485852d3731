using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Sessions.Api.Endpoints;

/// <summary>Liveness (the process answers) and readiness (every check tagged <see cref="ReadyTag"/> passes).</summary>
public static class HealthEndpoints
{
    /// <summary>Checks that must pass before a load balancer sends this host traffic.</summary>
    public const string ReadyTag = "ready";

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        var health = app.MapGroup("/health").WithTags("Health");
        health.MapGet("/live", () => TypedResults.Text("live")).WithName("Live").WithSummary("The process is up")
            .Produces<string>(StatusCodes.Status200OK, "text/plain");
        health.MapGet("/ready", Ready).WithName("Ready")
            .WithSummary("The host can serve: silo hosts have joined and their grain storage answers; API hosts reach the cluster and hold fresh keys")
            .Produces<string>(StatusCodes.Status200OK, "text/plain")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> Ready(HealthCheckService checks, CancellationToken cancellationToken)
    {
        var report = await checks.CheckHealthAsync(check => check.Tags.Contains(ReadyTag), cancellationToken);
        if (report.Status == HealthStatus.Healthy)
            return TypedResults.Text("ready");
        var failing = report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy).Select(e => e.Value.Description ?? e.Key);
        return Http.Problems.Result(StatusCodes.Status503ServiceUnavailable, "Service Unavailable", string.Join(" ", failing));
    }
}
