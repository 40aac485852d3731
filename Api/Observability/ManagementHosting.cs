using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Prometheus;

namespace Sessions.Api.Observability;

/// <summary><c>/metrics</c> in Prometheus' text format, and the rule that keeps operator endpoints on the management port.</summary>
public static class ManagementHosting
{
    public const string MetricsPath = "/metrics";

    public static WebApplicationBuilder AddSessionsMetrics(this WebApplicationBuilder builder)
    {
        builder.Services.AddMetrics();
        builder.Services.TryAddSingleton<PrometheusExport>();
        builder.Services.AddOptions<ManagementOptions>()
            .BindConfiguration(ManagementOptions.SectionName)
            .Validate(options => options.Port is null or > 0 and <= 65535, "Sessions:Management:Port must be a port number (1-65535).")
            .ValidateOnStart();
        return builder;
    }

    public static WebApplication MapSessionsMetrics(this WebApplication app)
    {
        var export = app.Services.GetRequiredService<PrometheusExport>();
        if (app.Services.GetRequiredService<IOptions<ManagementOptions>>().Value.Port is { } port)
        {
            // The local port a connection arrived on, not the Host header, which any client can write.
            app.Use((context, next) =>
            {
                if (context.Connection.LocalPort != port && context.GetEndpoint()?.Metadata.GetMetadata<ManagementEndpoint>() is not null)
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return Task.CompletedTask;
                }
                return next(context);
            });
        }
        app.MapMetrics(settings => settings.Registry = export.Registry, MetricsPath).RequireManagementPort();
        return app;
    }

    /// <summary>Marks endpoints that answer only on <see cref="ManagementOptions.Port"/> when it is set.</summary>
    public static TBuilder RequireManagementPort<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(ManagementEndpoint.Instance);

    private sealed class ManagementEndpoint
    {
        public static readonly ManagementEndpoint Instance = new();
    }
}
