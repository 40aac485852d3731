using Xunit.Abstractions;

namespace Sessions.Tests.Cluster;

/// <summary>
/// Issue 10's partition scenarios on real processes in network namespaces, each under load with revocations issued
/// during the fault. Placement is made deterministic: every user's grain activates on silo1 (silo2 joins after the
/// users are created), so the island scenarios always cut off the silo that holds them, never by luck.
/// </summary>
[Collection(PartitionCollection.Name)]
public sealed class PartitionTests(NetnsCluster cluster, ITestOutputHelper output)
{
    // The contract: every host ready and every live session validating within this long of a heal.
    private static readonly TimeSpan HealWithin = TimeSpan.FromSeconds(15);

    // A silo that learned after the heal that it had been declared dead exits and is started again, as a supervisor
    // would: a cold start (process, join, first fence confirmation), which takes 10–20 s on two loaded cores.
    private static readonly TimeSpan ColdStartWithin = TimeSpan.FromSeconds(45);

    // With the short timings silo2 declares silo1 dead within about 10 s of a cut; the island silo cannot write a stopped
    // marker, so silo2's takeover guard waits the whole dead-silo lease (40 s from its sight of the declaration, README
    // "Partitions and the fence") before silo1's users decide there: 60 s leaves several for revocations through silo2
    // while silo1 is still cut off, which is what the island scenarios are about.
    private static readonly TimeSpan IslandCut = TimeSpan.FromSeconds(60);

    // The silos declare silo1 (which holds every user) dead; it reads that from the table, fences for good and writes its
    // stopped marker, so silo2 takes its users over about 6 s after it sees the marker, not after the 40 s lease.
    [Fact]
    public Task SiloToSiloCut_BothReachTheDatabase_KeepsEveryInvariant() =>
        Scenario(TimeSpan.FromSeconds(15), revocations: 2, () => cluster.Cut("silo1", "silo2"));

    // Three times, so a timing hole that shows in one run of a few is likely caught; more would not fit CI's budget.
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public Task Island_SiloAndApiHostCutOffWithTheirUsers_KeepsEveryInvariant(int run)
    {
        output.WriteLine($"island run {run}");
        return Scenario(IslandCut, revocations: 3, () => cluster.Isolate("silo1", "api1"), takeover: true);
    }

    [Fact]
    public Task Island_ApiHostStillReachesTheDatabase_KeepsEveryInvariant() =>
        Scenario(IslandCut, revocations: 3, async () =>
        {
            foreach (var other in new[] { "silo2", "api2", "pg" })
                await cluster.Cut("silo1", other);
            foreach (var other in new[] { "silo2", "api2" })
                await cluster.Cut("api1", other);
        }, takeover: true);

    [Fact]
    public Task ApiHostCutFromEverySilo_KeepsEveryInvariant() =>
        Scenario(TimeSpan.FromSeconds(20), revocations: 2, async () =>
        {
            await cluster.Cut("api1", "silo1");
            await cluster.Cut("api1", "silo2");
        });

    // GET /me no longer waits behind a write in flight (CheckAccess interleaves with the user's commands) nor behind a
    // key-ring write (the refresh-secret key is made with the ring); what is left is not per user.
    [Fact]
    public async Task DatabaseCutFromEverySilo_For20Seconds_KeepsEveryInvariantAndValidatesFast()
    {
        var baseline = TimeSpan.Zero;
        var p99 = await Scenario(TimeSpan.FromSeconds(20), revocations: 2, async () =>
        {
            await cluster.Cut("pg", "silo1");
            await cluster.Cut("pg", "silo2");
        }, baselineFor: TimeSpan.FromSeconds(5), baselineP99: ms => baseline = TimeSpan.FromMilliseconds(ms));
        // The same load's p99 just before the cut says whether a miss is the outage's or a machine too busy to measure on.
        Assert.True(p99 < 100, $"GET /me p99 during the database outage was {p99:0} ms (the contract: under 100 ms); " +
            $"in the 5 s before the cut, under the same load, it was {baseline.TotalMilliseconds:0} ms");
    }

    [Fact]
    public Task OneWayLossBetweenSilos_KeepsEveryInvariant() =>
        Scenario(TimeSpan.FromSeconds(15), revocations: 2, () => cluster.CutOneWay("silo1", "silo2"));

    [Fact]
    public Task FlappingSiloToSiloPartition_KeepsEveryInvariant() =>
        // The minute of cut/heal every 3 s.
        Scenario(TimeSpan.FromSeconds(60), revocations: 4, () => cluster.Cut("silo1", "silo2"), flapEvery: TimeSpan.FromSeconds(3));

    [Fact]
    public Task SiloToSiloCut_WithOrleansDefaultMembershipTimings_KeepsEveryInvariant() =>
        // Orleans' defaults take up to about 60 s to vote one of the two dead; that silo reads so, fences for good and
        // writes its stopped marker, and the other takes its users over about 6 s after it sees the marker.
        Scenario(TimeSpan.FromSeconds(90), revocations: 3, () => cluster.Cut("silo1", "silo2"), defaultTimings: true);

    [Fact]
    public Task Island_WithOrleansDefaultMembershipTimings_KeepsEveryInvariant() =>
        // Orleans' defaults declare a silo dead up to about 60 s into a cut (4 × ProbeTimeout × NumMissedProbesLimit),
        // and the takeover guard holds its grains for the 40 s dead-silo lease after that: 80 s was not enough to see a
        // takeover, 130 s is.
        Scenario(TimeSpan.FromSeconds(130), revocations: 3, () => cluster.Isolate("silo1", "api1"), defaultTimings: true, takeover: true);

    /// <summary>Runs one fault under load; returns GET /me's p99 during the fault (ms) and fails on any breached invariant.</summary>
    private async Task<double> Scenario(TimeSpan duration, int revocations, Func<Task> cut, bool defaultTimings = false, TimeSpan? flapEvery = null, bool takeover = false,
        TimeSpan? baselineFor = null, Action<double>? baselineP99 = null)
    {
        await cluster.OnlySilo1(defaultTimings);
        await using var load = await PartitionLoad.Create(cluster, victims: revocations);
        await cluster.JoinSilo2();
        load.Start();
        if (baselineFor is { } before)
        {
            // A measuring window of the scenario's definition, not a wait for the system; it starts once every
            // session's first requests (connections, JIT) are behind it.
            var from = load.Now + TimeSpan.FromSeconds(3);
            await Task.Delay(TimeSpan.FromSeconds(3) + before);
            baselineP99?.Invoke(load.P99(from, load.Now));
            output.WriteLine($"GET /me before the fault by answer: {load.Latencies(from, load.Now)}");
        }

        var faultAt = load.Now;
        await cut();
        var revoker = Task.Run(async () =>
        {
            for (var i = 0; i < revocations; i++)
            {
                // Spread over the fault: some before the cluster has noticed it, some after.
                var slot = faultAt + duration * (i + 1) / (revocations + 1);
                if (slot > load.Now)
                    await Task.Delay(slot - load.Now);
                // Retried until acknowledged, but not past the end of the cut (plus the few seconds a last answer may take).
                await load.RevokeNext(faultAt + duration + TimeSpan.FromSeconds(5) - load.Now);
            }
        });
        if (flapEvery is { } flap)
        {
            for (var cutNow = false; load.Now - faultAt + flap < duration; cutNow = !cutNow)
            {
                // The length of each half-cycle is the scenario's definition, not a wait for the system.
                await Task.Delay(flap);
                await (cutNow ? cut() : cluster.Heal());
            }
        }
        var remaining = faultAt + duration - load.Now;
        if (remaining > TimeSpan.Zero)
            await Task.Delay(remaining);
        await revoker.WaitAsync(TimeSpan.FromSeconds(40));
        var p99 = load.P99(faultAt, load.Now);
        var revokedDuringCut = load.Revoked;
        var latencies = load.Latencies(faultAt, load.Now);
        await cluster.Heal();
        var healedAt = load.Now;

        var converged = await cluster.Converge(TimeSpan.FromSeconds(90));
        var violations = new List<string>();
        if (converged.All > HealWithin)
            violations.Add($"every host was ready only {converged.All.TotalSeconds:0.0} s after the heal ({converged.PerHost})");
        if (converged.RestartedStart > ColdStartWithin)
            violations.Add($"a restarted silo was ready only {converged.RestartedStart.TotalSeconds:0.0} s after its restart ({converged.PerHost})");
        await load.CheckAfterHeal(healedAt, HealWithin);
        violations.AddRange(load.Violations);
        // Without a revocation acknowledged by the survivor while the island was cut off, nothing was tested.
        if (takeover && revokedDuringCut == 0)
            violations.Add("no revocation was acknowledged during the cut: silo2 never took silo1's users over, so the scenario proved nothing");

        output.WriteLine($"fault {duration.TotalSeconds:0} s, {revokedDuringCut} revocations acknowledged during it, ready after heal: {converged.PerHost}; GET /me p99 during the fault {p99:0} ms");
        output.WriteLine("GET /me during the fault by answer: " + latencies);
        output.WriteLine(load.Summary());
        foreach (var violation in violations)
            output.WriteLine("VIOLATION " + violation);
        Assert.True(violations.Count == 0, $"{violations.Count} invariant breaches:\n{string.Join('\n', violations.Distinct().Take(40))}\n{load.Summary()}\nlogs in {cluster.LogFolder}");
        return p99;
    }
}
