using System.Diagnostics;

namespace Sessions.Bench;

/// <summary>
/// Revocation staleness under load: wrk drives the other users while two workers of the bench's own client call GET /me
/// with the victim's token; a third of the way in, the victim is revoked. A request counts as "after" only if it was
/// sent once the revocation call had returned.
/// </summary>
internal static class Revocation
{
    public static async Task<(RevocationResult Result, WrkResult Load)> MeasureAsync(ProbeClient client, string mechanism,
        Func<Task> revoke, Func<Task<WrkResult>> load, IReadOnlyList<int> ports, string victimToken, TimeSpan duration,
        CancellationToken cancellationToken, string path = "/me")
    {
        var loadTask = load();
        var probeTask = client.RunAsync(ports, [victimToken], workers: 2, duration - TimeSpan.FromSeconds(1), cancellationToken, path);
        await Task.Delay(duration / 3, cancellationToken);
        var revokeStarted = Stopwatch.GetTimestamp();
        await revoke();
        var revoked = Stopwatch.GetTimestamp();
        var samples = await probeTask;
        var wrk = await loadTask;

        var after = samples.Where(s => s.Started >= revoked).ToArray();
        var firstRejection = after.Where(s => s.Status == 401).Select(s => (double?)s.Finished).FirstOrDefault();
        return (new RevocationResult(
            mechanism,
            Milliseconds(revoked - revokeStarted),
            samples.Count(s => s.Started < revoked),
            after.Length,
            after.Count(s => s.Status == 200),
            firstRejection is { } at ? Milliseconds((long)at - revoked) : null), wrk);
    }

    private static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
