using System.Collections.Concurrent;
using System.Diagnostics;

namespace Sessions.Bench;

/// <summary>
/// Closed loops on <c>POST /oauth/token</c>, one worker per user, so no two workers wait on the same grain:
/// password grants (each worker re-logs in on its own device, which replaces its previous session, so state does
/// not grow), and refresh grants (each worker rotates its own session's refresh token, presenting each one once).
/// </summary>
internal static class TokenLoad
{
    public static Task<TokenLoadResult> LoginsAsync(BenchContext context, int port, int pid, IReadOnlyList<string> usernames, string cost) =>
        RunAsync("password", cost, pid, usernames.Count, context.Settings.TokenRun, context.CancellationToken, worker =>
        {
            var deviceId = $"bench-login-{worker}";
            return ct => context.Sessions.PasswordGrantAsync(port, usernames[worker], deviceId, "bench", readRefreshToken: false, ct);
        });

    public static async Task<TokenLoadResult> RefreshesAsync(BenchContext context, int port, int pid, IReadOnlyList<string> usernames)
    {
        // Each worker's own session, outside the measured window.
        var tokens = new string[usernames.Count];
        for (var i = 0; i < usernames.Count; i++)
        {
            var login = await context.Sessions.PasswordGrantAsync(port, usernames[i], $"bench-refresh-{i}", "bench", readRefreshToken: true, context.CancellationToken);
            tokens[i] = login.RefreshToken ?? throw new InvalidOperationException($"login for the refresh run answered {login.Status}");
        }
        return await RunAsync("refresh_token", "SHA-256 of the secret, a stored rotation, an ES256 signature", pid, usernames.Count,
            context.Settings.TokenRun, context.CancellationToken, worker => async ct =>
            {
                var call = await context.Sessions.RefreshGrantAsync(port, tokens[worker], ct);
                if (call.RefreshToken is { } next)
                    tokens[worker] = next;
                return call;
            });
    }

    private static async Task<TokenLoadResult> RunAsync(string grant, string cost, int pid, int workers, TimeSpan duration,
        CancellationToken cancellationToken, Func<int, Func<CancellationToken, Task<TokenCall>>> workerCall)
    {
        var latencies = new ConcurrentBag<double>();
        long ok = 0, failures = 0, reuse = 0;
        var cpuBefore = ProcStat.Ticks(pid);
        var machineBefore = ProcStat.Machine();
        var started = Stopwatch.GetTimestamp();
        var deadline = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, workers).Select(async worker =>
        {
            var call = workerCall(worker);
            while (Stopwatch.GetTimestamp() < deadline && !cancellationToken.IsCancellationRequested)
            {
                var sent = Stopwatch.GetTimestamp();
                TokenCall answer;
                try
                {
                    answer = await call(cancellationToken);
                }
                catch (HttpRequestException)
                {
                    answer = new TokenCall(0, null, null);
                }
                catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    answer = new TokenCall(0, null, null);
                }
                if (answer.Status == 200)
                {
                    Interlocked.Increment(ref ok);
                    latencies.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                }
                else
                {
                    Interlocked.Increment(ref failures);
                    if (answer.IsReuseDetection)
                        Interlocked.Increment(ref reuse);
                    // A refresh chain that broke cannot go on; a login can.
                    if (grant == "refresh_token")
                        return;
                }
            }
        }));
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var cpu = (ProcStat.Ticks(pid) - cpuBefore) / ProcStat.TicksPerSecond;
        var machineAfter = ProcStat.Machine();
        var sorted = latencies.Order().ToArray();
        double Percentile(double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
        return new TokenLoadResult(grant, cost, workers, seconds, ok, ok / seconds, Percentile(0.50), Percentile(0.99), failures, reuse,
            cpu * 1e6 / Math.Max(1, ok), 100.0 * (machineAfter.Busy - machineBefore.Busy) / Math.Max(1, machineAfter.Total - machineBefore.Total));
    }
}
