using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Sessions.Api.Observability;

/// <summary>
/// <c>/metrics</c> in Prometheus' text format (OpenTelemetry's exporter), OTLP export and traces when configured, and the
/// rule that keeps operator endpoints on the management port.
/// </summary>
public static class ManagementHosting
{
    public const string MetricsPath = "/metrics";

    public static WebApplicationBuilder AddSessionsMetrics(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ManagementOptions>()
            .BindConfiguration(ManagementOptions.SectionName)
            .Validate(options => options.Port is null or > 0 and <= 65535, "Sessions:Management:Port must be a port number (1-65535).")
            .ValidateOnStart();
        builder.Services.AddOptions<TelemetryOptions>()
            .BindConfiguration(TelemetryOptions.SectionName)
            .Validate(options => options.TraceSampleRatio is >= 0 and <= 1, "Sessions:Telemetry:TraceSampleRatio must be between 0 and 1.")
            .Validate(options => !options.Traces || OtlpConfigured(builder.Configuration, options),
                $"Sessions:Telemetry:Traces needs an OTLP endpoint: set Sessions:Telemetry:OtlpEndpoint or {TelemetryOptions.StandardEndpointVariable}.")
            .ValidateOnStart();

        // Read here, not from the validated options: what is registered must be known before the container is built.
        var telemetry = TelemetryOptions.Read(builder.Configuration);
        var otlp = OtlpConfigured(builder.Configuration, telemetry);
        builder.Services.AddMetrics();
        if (!telemetry.Metrics && !telemetry.Traces)
            return builder;

        var serviceName = builder.Configuration["OTEL_SERVICE_NAME"];
        var openTelemetry = builder.Services.AddOpenTelemetry()
            // Sessions.Silo or Sessions.Api, unless the operator named the service.
            .ConfigureResource(resource => resource.AddService(string.IsNullOrEmpty(serviceName) ? builder.Environment.ApplicationName : serviceName));
        if (telemetry.Metrics)
        {
            openTelemetry.WithMetrics(metrics =>
            {
                metrics.AddMeter(ExportedInstruments.Meters)
                    .AddPrometheusExporter(prometheus =>
                    {
                        // The names and format prometheus-net wrote: counters without _total, no scope labels on each series.
                        prometheus.DisableTotalNameSuffixForCounters = true;
                        prometheus.ScopeInfoEnabled = false;
                        prometheus.TargetInfoEnabled = false;
                        // Every scrape sees every count so far; a cached answer would hide what just happened.
                        prometheus.ScrapeResponseCacheDurationMilliseconds = 0;
                    });
                if (otlp)
                    metrics.AddOtlpExporter(exporter => UseEndpoint(exporter, telemetry, "v1/metrics"));
            });
            // The view needs this host's meter factory, known once the container is built.
            builder.Services.ConfigureOpenTelemetryMeterProvider((services, metrics) =>
            {
                var meterFactory = services.GetRequiredService<IMeterFactory>();
                metrics.AddView(instrument => ExportedInstruments.View(instrument, meterFactory));
            });
        }
        if (telemetry.Traces && otlp)
        {
            openTelemetry.WithTracing(tracing => tracing
                .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(telemetry.TraceSampleRatio)))
                .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = context => !IsOperatorPath(context.Request.Path))
                .AddSource(OrleansActivitySources)
                .AddOtlpExporter(exporter => UseEndpoint(exporter, telemetry, "v1/traces")));
        }
        return builder;
    }

    public static WebApplication MapSessionsMetrics(this WebApplication app)
    {
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
        if (app.Services.GetRequiredService<IOptions<TelemetryOptions>>().Value.Metrics)
            app.MapPrometheusScrapingEndpoint(MetricsPath, meterProvider: null, configureBranchedPipeline: ClassicTextFormat, optionsName: null)
                .RequireManagementPort();
        return app;
    }

    /// <summary>Marks endpoints that answer only on <see cref="ManagementOptions.Port"/> when it is set.</summary>
    public static TBuilder RequireManagementPort<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(ManagementEndpoint.Instance);

    // Asked for OpenMetrics (as Prometheus asks first), the exporter would add _total to every counter; the classic text
    // format keeps the names prometheus-net wrote, so no dashboard or alert has to change.
    private static void ClassicTextFormat(IApplicationBuilder scrape) =>
        scrape.Use((context, next) =>
        {
            context.Request.Headers.Accept = "text/plain; version=0.0.4";
            return next(context);
        });

    // Orleans 10's sources (Orleans.Diagnostics.ActivitySources): grain calls, runtime work, activation lifecycle, storage.
    private static readonly string[] OrleansActivitySources =
        ["Microsoft.Orleans.Application", "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Lifecycle", "Microsoft.Orleans.Storage"];

    private static bool OtlpConfigured(IConfiguration configuration, TelemetryOptions telemetry) =>
        telemetry.OtlpEndpoint is not null || !string.IsNullOrWhiteSpace(configuration[TelemetryOptions.StandardEndpointVariable]);

    // Unset, the exporter reads OTEL_EXPORTER_OTLP_ENDPOINT (and _PROTOCOL, _HEADERS) itself. Set, it means what that
    // variable means: the collector's base address, to which OTLP/HTTP adds the signal's path.
    private static void UseEndpoint(OtlpExporterOptions exporter, TelemetryOptions telemetry, string signalPath)
    {
        if (telemetry.OtlpEndpoint is { } endpoint)
        {
            exporter.Endpoint = exporter.Protocol == OtlpExportProtocol.HttpProtobuf
                ? new Uri($"{endpoint.AbsoluteUri.TrimEnd('/')}/{signalPath}")
                : endpoint;
        }
    }

    // Scrapes and probes every few seconds would bury the requests worth tracing.
    private static bool IsOperatorPath(PathString path) =>
        path.StartsWithSegments(MetricsPath) || path.StartsWithSegments("/health");

    private sealed class ManagementEndpoint
    {
        public static readonly ManagementEndpoint Instance = new();
    }
}
