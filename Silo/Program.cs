using Sessions.Api;
using Sessions.Api.Endpoints;
using Sessions.Api.Http;
using Sessions.Silo.Operator;
using Sessions.Api.Observability;

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
        builder.AddSessionsSilo();
        builder.AddSessionsMetrics();
        var serveApi = builder.Configuration.GetValue("Sessions:ServeApi", true);
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
