using System.Diagnostics;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Conformance;

/// <summary>
/// Stoplight Prism in proxy mode with --errors, in front of the service on Kestrel: it checks every request and
/// every response against the service's own OpenAPI document and turns any mismatch into an error answer.
/// Installed into tests/prism by .ci/run (npm); the tests fail with that instruction if it is missing.
/// </summary>
public sealed class PrismProxy : IAsyncDisposable
{
    private readonly Process _process;

    private PrismProxy(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<PrismProxy> StartAsync(string documentPath, Uri upstream)
    {
        var executable = Executable();
        var port = FreePorts.Next();
        var start = new ProcessStartInfo(executable)
        {
            ArgumentList = { "proxy", documentPath, upstream.ToString().TrimEnd('/'), "--errors", "--host", "127.0.0.1", "--port", port.ToString() },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var proxy = new PrismProxy(process, new Uri($"http://127.0.0.1:{port}"));
        using var http = new HttpClient { BaseAddress = proxy.Address };
        await Eventually.Succeeds(async () => (await http.GetAsync("/health/live")).IsSuccessStatusCode, TimeSpan.FromSeconds(90), "Prism did not start");
        return proxy;
    }

    private static string Executable()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "tests", "prism", "node_modules", ".bin", "prism");
            if (File.Exists(candidate))
                return candidate;
        }
        throw new InvalidOperationException("Stoplight Prism is not installed: run .ci/run, or `npm install` in tests/prism.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
