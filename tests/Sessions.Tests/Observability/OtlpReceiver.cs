using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Sessions.Tests.Observability;

/// <summary>
/// A real Kestrel server on 127.0.0.1 standing in for an OpenTelemetry collector's OTLP/HTTP receiver: it keeps every
/// export's path and protobuf body and answers 200 with an empty (valid) response message.
/// </summary>
internal sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(string Path, byte[] Body)> _exports = new();

    private OtlpReceiver()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            _exports.Enqueue((context.Request.Path.Value ?? "", body.ToArray()));
            context.Response.ContentType = "application/x-protobuf";
        });
    }

    public Uri BaseAddress { get; private set; } = null!;

    public static async Task<OtlpReceiver> Start()
    {
        var receiver = new OtlpReceiver();
        await receiver._app.StartAsync();
        var address = receiver._app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        receiver.BaseAddress = new Uri(address);
        return receiver;
    }

    /// <summary>Whether exports to <paramref name="path"/> carried each of <paramref name="names"/> (protobuf keeps strings as UTF-8).</summary>
    public bool Received(string path, params string[] names) =>
        names.All(name => _exports.Any(export => export.Path == path && Contains(export.Body, name)));

    private static bool Contains(byte[] body, string text) => body.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(text)) >= 0;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
