using System.Diagnostics;
using System.Net.Http.Json;

namespace Sessions.Tests.Doors;

/// <summary>An upstream in another language: echo_upstream.py, which answers with the headers it received.</summary>
public sealed class PythonEchoUpstream : IAsyncDisposable
{
    private readonly Process _process;

    private PythonEchoUpstream(Process process, int port)
    {
        _process = process;
        Address = new Uri($"http://127.0.0.1:{port}");
    }

    public Uri Address { get; }

    public static async Task<PythonEchoUpstream> StartAsync()
    {
        var start = new ProcessStartInfo("python3") { UseShellExecute = false, RedirectStandardOutput = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Doors", "echo_upstream.py"));
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start python3.");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        // It binds port 0 and prints the port the OS gave it.
        var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
        return new PythonEchoUpstream(process, int.Parse(line ?? throw new InvalidOperationException("The Python upstream printed no port.")));
    }

    /// <summary>How many requests reached it, asked of it directly.</summary>
    public async Task<int> Served()
    {
        using var http = new HttpClient { BaseAddress = Address };
        return (await http.GetFromJsonAsync<ServedCount>("/__count"))!.Served;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private sealed record ServedCount(int Served);
}
