using Sessions.Api;

namespace Sessions.Api;

/// <summary>A stateless API host: a pure Orleans client of the Sessions cluster.</summary>
public static class Program
{
    public static async Task Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.UseOrleansClient(client => client.UseLocalhostClustering());
        builder.AddSessionsApi();
        var app = builder.Build();
        app.MapSessionsApi();
        await app.RunAsync();
    }
}
