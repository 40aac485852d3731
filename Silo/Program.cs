using Sessions.Api;
using Sessions.Api.Endpoints;

namespace Sessions.Silo;

/// <summary>A Sessions silo; by default it also serves the HTTP API, so one process is the whole service.</summary>
public sealed class Program
{
    private Program()
    {
    }

    public static async Task Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddSessionsSilo();
        var serveApi = builder.Configuration.GetValue("Sessions:ServeApi", true);
        if (serveApi)
            builder.AddSessionsApi();
        var app = builder.Build();
        // The silo is up once the host has started: UseOrleans joins the cluster before start-up completes.
        var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
        app.MapHealthEndpoints(_ => lifetime.ApplicationStarted.IsCancellationRequested && !lifetime.ApplicationStopping.IsCancellationRequested);
        if (serveApi)
            app.MapSessionsApi();
        await app.RunAsync();
    }
}
