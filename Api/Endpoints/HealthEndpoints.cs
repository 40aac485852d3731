namespace Sessions.Api.Endpoints;

/// <summary>Liveness (the process answers) and readiness (this host can reach its cluster).</summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app, Func<IServiceProvider, bool> isReady)
    {
        var health = app.MapGroup("/health").WithTags("Health");
        health.MapGet("/live", () => TypedResults.Text("live")).WithName("Live").WithSummary("The process is up");
        health.MapGet("/ready", Results<ContentHttpResult, ProblemHttpResult> (HttpContext context) =>
                isReady(context.RequestServices)
                    ? TypedResults.Text("ready")
                    : Http.Problems.Result(StatusCodes.Status503ServiceUnavailable, "Service Unavailable", "Not connected to the cluster yet."))
            .WithName("Ready").WithSummary("The host can serve: its silo has started or its client has connected");
        return app;
    }
}
