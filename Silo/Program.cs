using Sessions.Api;
using Sessions.Api.Endpoints;
using Sessions.Api.Http;
using Sessions.Silo.Operator;
using Sessions.Api.Observability;
using Sessions.Grains;

namespace Sessions.Silo;

/// <summary>A Sessions silo; by default it also serves the HTTP API, so one process is the whole service.</summary>
public sealed class Program
{
    private Program()
    {
    }

    public static async Task<int> Main(string[] args)
    {
        if (OperatorCli.Handles(args))
            return await OperatorCli.RunAsync(args, Console.Out, Console.Error, Console.In);

        var builder = WebApplication.CreateBuilder(args);
        KnownSettings.RejectUnknown(builder.Configuration);
        // Read now, as they decide what the host is made of; a bad one stops start-up with its key named.
        var settings = builder.Configuration.ReadSettings<SessionsSiloOptions>(SessionsSiloOptions.SectionName);
        builder.AddSessionsSilo(settings);
        builder.AddSessionsMetrics();
        var serveApi = settings.ServeApi;
        if (serveApi)
            builder.AddSessionsApi();
        var app = builder.Build();
        app.UseHeadAsGet();
        app.MapHealthEndpoints();
        // One /metrics for everything this process does, silo and API alike.
        app.MapSessionsMetrics();
        app.MapSessionsDashboard();
        if (serveApi)
            app.MapSessionsApi();
        await app.RunAsync();
        return 0;
    }
}
