using Sessions.Api;
using Sessions.Api.Endpoints;
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
        var serveApi = builder.Configuration.GetValue("Sessions:ServeApi", true);
        if (serveApi)
            builder.AddSessionsApi();
        var app = builder.Build();
        app.MapHealthEndpoints();
        if (serveApi)
            app.MapSessionsApi();
        await app.RunAsync();
        return 0;
    }
}
