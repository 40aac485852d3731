using Sessions.Api.Cluster;
using Sessions.Api.Endpoints;
using Sessions.Api.Http;
using Sessions.Api.Observability;

namespace Sessions.Api;

/// <summary>A stateless API host: a pure Orleans client of a Sessions cluster.</summary>
public sealed class Program
{
    private Program()
    {
    }

    public static async Task<int> Main(string[] args)
    {
        if (args is [HealthProbe.Verb, .. var probe])
            return await HealthProbe.RunAsync(probe.FirstOrDefault(), Console.Out);

        var builder = WebApplication.CreateBuilder(args);
        KnownSettings.RejectUnknown(builder.Configuration);
        builder.AddSessionsClusterClient();
        builder.AddSessionsApi();
        builder.AddSessionsMetrics();
        var app = builder.Build();
        app.UseHeadAsGet();
        app.UseClusterReadinessGate();
        app.MapHealthEndpoints();
        app.MapSessionsMetrics();
        app.MapSessionsApi();
        await app.RunAsync();
        return 0;
    }
}
