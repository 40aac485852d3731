using Sessions.Api;
using Sessions.Api.Endpoints;
using Sessions.Api.Observability;
using Sessions.Silo.Database;

namespace Sessions.Silo;

/// <summary>A Sessions silo; by default it also serves the HTTP API, so one process is the whole service.</summary>
public sealed class Program
{
    private Program()
    {
    }

    public static async Task<int> Main(string[] args)
    {
        if (args is [MigrateCommand.Verb, .. var rest])
        {
            // Same configuration sources as the silo itself: appsettings, environment, command line.
            return await MigrateCommand.RunAsync(rest, WebApplication.CreateBuilder(rest).Configuration);
        }

        var builder = WebApplication.CreateBuilder(args);
        builder.AddSessionsSilo();
        builder.AddSessionsMetrics();
        var serveApi = builder.Configuration.GetValue("Sessions:ServeApi", true);
        if (serveApi)
            builder.AddSessionsApi();
        var app = builder.Build();
        // The silo is up once the host has started: UseOrleans joins the cluster before start-up completes.
        var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
        app.MapHealthEndpoints(_ => lifetime.ApplicationStarted.IsCancellationRequested && !lifetime.ApplicationStopping.IsCancellationRequested);
        // One /metrics for everything this process does, silo and API alike.
        app.MapSessionsMetrics();
        app.MapSessionsDashboard();
        if (serveApi)
            app.MapSessionsApi();
        await app.RunAsync();
        return 0;
    }
}
