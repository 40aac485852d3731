using Sessions.Api.Cluster;
using Sessions.Api.Endpoints;
using Sessions.Api.Observability;

namespace Sessions.Api;

/// <summary>A stateless API host: a pure Orleans client of a Sessions cluster.</summary>
public sealed class Program
{
    private Program()
    {
    }

    public static async Task Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddSessionsClusterClient();
        builder.AddSessionsApi();
        builder.AddSessionsMetrics();
        var app = builder.Build();
        app.UseClusterReadinessGate();
        app.MapHealthEndpoints(services => services.GetRequiredService<ClusterReadiness>().IsConnected);
        app.MapSessionsMetrics();
        app.MapSessionsApi();
        await app.RunAsync();
    }
}
