using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Sessions.Tests.Security;

/// <summary>
/// A real Kestrel server on 127.0.0.1 serving an attacker's keys, counting every request it gets, so a test can prove
/// the service never fetched a key from where a token told it to.
/// </summary>
internal sealed class LoopbackKeyServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private LoopbackKeyServer(string body, string contentType)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.Run(context =>
        {
            Interlocked.Increment(ref _requests);
            context.Response.ContentType = contentType;
            return context.Response.WriteAsync(body);
        });
    }

    public Uri BaseAddress { get; private set; } = null!;

    public int Requests => Volatile.Read(ref _requests);

    public static async Task<LoopbackKeyServer> Start(string body, string contentType)
    {
        var server = new LoopbackKeyServer(body, contentType);
        await server._app.StartAsync();
        var address = server._app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        server.BaseAddress = new Uri(address);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
