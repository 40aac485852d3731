namespace Sessions.Api.Observability;

/// <summary>The <c>Sessions:Telemetry</c> section: what this host exports beside <c>/metrics</c>.</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Sessions:Telemetry";

    /// <summary>The standard OpenTelemetry variable; when it is set, metrics (and traces, if on) go there by OTLP.</summary>
    public const string StandardEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// Off, the host records no metrics at all and <c>/metrics</c> is <c>404</c>: a switch to measure what observability
    /// costs per request, not a production setting.
    /// </summary>
    public bool Metrics { get; set; } = true;

    /// <summary>An OTLP collector (<c>http://collector:4317</c>); overrides <see cref="StandardEndpointVariable"/>.</summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary>Traces of ASP.NET Core requests and Orleans grain calls, exported by OTLP; off by default.</summary>
    public bool Traces { get; set; }

    /// <summary>The section as configured, for what must be decided before the container is built.</summary>
    public static TelemetryOptions Read(IConfiguration configuration) =>
        configuration.GetSection(SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();

    /// <summary>The share of new traces recorded (a caller's sampled flag is followed); 1 records every request.</summary>
    public double TraceSampleRatio { get; set; } = 1.0;
}
