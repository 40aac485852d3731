using Sessions.Api;
using Sessions.Api.Endpoints;
using Sessions.Silo.Operator;

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
