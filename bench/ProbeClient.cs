using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;

namespace Sessions.Bench;

/// <summary>
/// The bench's own small HTTP client, for what wrk cannot time-stamp: the first 200 after a start, throughput second by
/// second during warm-up, and which answers came after a revocation returned. Every loop is bounded in time and count.
/// </summary>
internal sealed class ProbeClient : IDisposable
{
    private const int MaxSamples = 2_000_000;
    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        MaxConnectionsPerServer = 64,
    })
    { Timeout = TimeSpan.FromSeconds(5) };

    public HttpClient Http => _http;

    /// <summary>Polls GET /me until it answers 200; returns when it did (Stopwatch timestamp).</summary>
    public async Task<long> WaitForFirstOkAsync(int port, string token, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (await GetMeAsync(port, token, cancellationToken) == 200)
                return Stopwatch.GetTimestamp();
            await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
        }
        throw new TimeoutException($"GET /me on port {port} did not answer 200 within {timeout.TotalSeconds:0} s");
    }

    /// <summary>Closed loop: <paramref name="workers"/> requests in flight, worker i on ports[i % n] with tokens[i % m], until the deadline.</summary>
    public async Task<ProbeSample[]> RunAsync(IReadOnlyList<int> ports, IReadOnlyList<string> tokens, int workers, TimeSpan duration,
        CancellationToken cancellationToken, string path = "/me")
    {
        var samples = new ConcurrentQueue<ProbeSample>();
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var tasks = Enumerable.Range(0, workers).Select(async worker =>
        {
            var port = ports[worker % ports.Count];
            var token = tokens[worker % tokens.Count];
            while (Stopwatch.GetTimestamp() < deadline && samples.Count < MaxSamples && !cancellationToken.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                var status = await GetMeAsync(port, token, cancellationToken, path);
                samples.Enqueue(new ProbeSample(started, Stopwatch.GetTimestamp(), status));
            }
        });
        await Task.WhenAll(tasks);
        return [.. samples.OrderBy(s => s.Finished)];
    }

    private async Task<int> GetMeAsync(int port, string token, CancellationToken cancellationToken, string path = "/me")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}{path}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        try
        {
            using var response = await _http.SendAsync(request, cancellationToken);
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            return (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return 0;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return 0;
        }
    }

    public void Dispose() => _http.Dispose();
}
