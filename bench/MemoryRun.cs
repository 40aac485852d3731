using System.Diagnostics;

namespace Sessions.Bench;

/// <summary>
/// Memory per live session. A fresh single-process silo (Release, SQLite, Server GC as shipped) whose password hash is
/// set to one PBKDF2 iteration — the only way to create 10^5–10^6 sessions through the real login path in bounded
/// time; the hash's cost changes nothing that stays in memory (a stored hash has the same length whatever its
/// iteration count). After a warm-up, an idle baseline; then sessions are added in mixes, and the silo's VmRSS and
/// managed heap (both after two forced full collections) are read after each. Every user grain stays active: logins
/// go round-robin over a mix's users, and earlier mixes' user grains are called by id every few minutes, well inside
/// Orleans' 15-minute collection age. Name and skeleton grains are left alone, as a login leaves them: they deactivate
/// a few seconds after their last call, and every reading waits that out.
/// </summary>
internal sealed class MemoryRun
{
    private const int WarmUpUsers = 100;
    private const int WarmUpSessionsPerUser = 5;
    private const int KeepAliveWorkers = 8;
    // RSS moves by several MiB between readings whatever the sessions (GC budgets, pools): below this many sessions
    // added, its growth per session is mostly that noise, so only the walked heap is reported.
    private const int MinSessionsForRss = 10_000;
    private const string DeviceName = "Firefox 140 on Linux";
    private static readonly TimeSpan CollectionAge = TimeSpan.FromMinutes(15);
    // Sessions:RefreshReuseGrace, left at its default.
    private static readonly TimeSpan ReuseGrace = TimeSpan.FromSeconds(10);
    // Well inside the collection age, so no user grain of an earlier mix is ever idle long enough to be deactivated.
    private static readonly TimeSpan KeepAliveEvery = TimeSpan.FromMinutes(4);
    // Name and skeleton grains deactivate 2-4 s after their last call (LoginOnlyGrains.IdleBeforeDeactivation, 2 s, and
    // a timer of the same period): a reading waits this long after the mix's last call to either.
    private static readonly TimeSpan LoginOnlyGrainsGone = TimeSpan.FromSeconds(6);

    private readonly BenchContext _context;
    private readonly MemoryResult _result;
    private readonly int _port;
    private readonly int _pid;
    private readonly string _folder;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<string[]> _earlierMixes = [];
    private readonly SemaphoreSlim _keepAliveLock = new(1, 1);
    private TimeSpan _lastKeepAlive;
    private TimeSpan _longestIdle;
    private string _adminToken = "";
    private readonly Dictionary<string, HeapTypes.Snapshot> _types = [];

    private MemoryRun(BenchContext context, MemoryResult result, string folder, int port, int pid)
    {
        _folder = folder;
        _context = context;
        _result = result;
        _port = port;
        _pid = pid;
    }

    public static async Task RunAsync(BenchContext context, MemoryResult result)
    {
        var folder = context.NewFolder("memory");
        var http = FreePorts.One();
        var environment = context.SessionsEnvironment();
        environment["urls"] = $"http://127.0.0.1:{http}";
        environment["Sessions__Issuer"] = $"http://127.0.0.1:{http}";
        environment["Sessions__DataDirectory"] = Path.Combine(folder, "data");
        environment["Sessions__PasswordHashing__MemoryKiB"] = "8";
        environment["Sessions__PasswordHashing__Passes"] = "1";
        environment["Cluster__SiloPort"] = FreePorts.One().ToString();
        environment["Cluster__GatewayPort"] = FreePorts.One().ToString();
        result.PasswordIterations = 1;
        result.HowStarted = "dotnet Silo/bin/Release/net10.0/Sessions.Silo.dll, fresh temp data folder, Sessions__PasswordHashing__MemoryKiB=8, Sessions__PasswordHashing__Passes=1";

        Progress.Line($"memory: starting a fresh silo (port {http}), password hash at Argon2id 8 KiB, 1 pass");
        await using var server = ChildProcess.Start("silo", "dotnet", [context.Paths.SiloDll], environment,
            Path.GetDirectoryName(context.Paths.SiloDll)!, Path.Combine(folder, "silo.log"));
        await new MemoryRun(context, result, folder, http, server.Pid).RunAsync();
    }

    private async Task RunAsync()
    {
        var settings = _context.Settings;
        await _context.Sessions.WaitUntilServingAsync(_port, _context.CancellationToken);
        _adminToken = await _context.Sessions.LoginAdminAsync(_port, BenchContext.AdminUsername, _context.AdminPassword, _context.CancellationToken);

        // Warm-up: every code path JIT-compiled and every pool created before the baseline.
        await AddMixAsync("warm", WarmUpUsers, WarmUpSessionsPerUser);
        var baseline = await MeasureAsync("idle baseline (after warm-up)", 0, 0, null, null);
        Progress.Line($"memory: baseline RSS {baseline.RssMiB:0} MiB, managed objects {baseline.ObjectsMiB:0} MiB");

        long sessions = 0, users = 0;
        var previous = baseline;
        foreach (var checkpoint in settings.MemoryCheckpoints)
        {
            var mixUsers = (int)((checkpoint - sessions) / BenchSettings.SessionsPerUser);
            var created = await AddMixAsync($"m{checkpoint / 1000}k", mixUsers, BenchSettings.SessionsPerUser);
            sessions += (long)mixUsers * BenchSettings.SessionsPerUser;
            users += mixUsers;
            previous = await MeasureAsync($"{sessions:N0} sessions, {BenchSettings.SessionsPerUser} per user", sessions, users, baseline, created);
        }
        {
            var refreshedUsers = settings.RefreshedSessions / BenchSettings.SessionsPerUser;
            var created = await AddMixAsync("r9", refreshedUsers, BenchSettings.SessionsPerUser, BenchSettings.RefreshesPerSession);
            sessions += (long)refreshedUsers * BenchSettings.SessionsPerUser;
            users += refreshedUsers;
            previous = await MeasureAsync($"+{refreshedUsers * BenchSettings.SessionsPerUser:N0} sessions, {BenchSettings.SessionsPerUser} per user, " +
                $"each refreshed {BenchSettings.RefreshesPerSession} times, then used on GET /me", sessions, users, previous, created);
        }
        {
            var created = await AddMixAsync("s1", settings.SingleSessionUsers, 1);
            sessions += settings.SingleSessionUsers;
            users += settings.SingleSessionUsers;
            await MeasureAsync($"+{settings.SingleSessionUsers:N0} sessions, 1 per user", sessions, users, previous, created);
        }

        _result.Notes.Add($"no user grain was left idle longer than {_longestIdle.TotalMinutes:0.0} min (earlier mixes' users read every " +
            $"{KeepAliveEvery.TotalMinutes:0} min through GET /admin/users/{{id}}, which calls their user grain only; its collection age is " +
            $"Orleans' default, {CollectionAge.TotalMinutes:0} min), so every user grain was in memory at every reading; name and skeleton " +
            $"grains were not kept alive (they deactivate 2-4 s after their last call) and each reading waited " +
            $"{LoginOnlyGrainsGone.TotalSeconds:0} s after the last one");
        if (_longestIdle >= CollectionAge)
            _result.Notes.Add("WARNING: some user grains were idle past the collection age and may have been deactivated: the figures are too low");
    }

    /// <summary>
    /// Registers <paramref name="userCount"/> users and gives each <paramref name="perUser"/> sessions (each login a new device),
    /// logging in round-robin over the users, then rotates each session's refresh token <paramref name="refreshes"/> times.
    /// Returns sessions created per second over the logins.
    /// </summary>
    private async Task<double> AddMixAsync(string prefix, int userCount, int perUser, int refreshes = 0)
    {
        var userIds = new string[userCount];
        await RunCountedAsync(prefix, "registered", userCount, async (i, ct) =>
            userIds[i] = await _context.Sessions.RegisterAsync(_port, Username(prefix, i), ct));
        var logins = (long)userCount * perUser;
        // Kept only to present each once, never printed.
        var refreshTokens = refreshes > 0 ? new string[logins] : null;
        var started = Stopwatch.GetTimestamp();
        await RunCountedAsync(prefix, "sessions", logins, async (i, ct) =>
        {
            var call = await _context.Sessions.PasswordGrantAsync(_port, Username(prefix, (int)(i % userCount)), null, DeviceName,
                readRefreshToken: refreshTokens is not null, ct);
            if (call.Status != 200)
                throw new InvalidOperationException($"login {i} of {prefix} answered {call.Status}");
            if (refreshTokens is not null)
                refreshTokens[i] = call.RefreshToken!;
        });
        var perSecond = logins / Stopwatch.GetElapsedTime(started).TotalSeconds;
        if (refreshTokens is not null)
        {
            var accessTokens = new string[logins];
            await RunCountedAsync(prefix, "sessions refreshed", logins, async (i, ct) =>
            {
                for (var r = 0; r < refreshes; r++)
                {
                    var call = await _context.Sessions.RefreshGrantAsync(_port, refreshTokens[i], ct);
                    refreshTokens[i] = call.RefreshToken ?? throw new InvalidOperationException($"refresh {r} of session {i} of {prefix} answered {call.Status}");
                    accessTokens[i] = call.AccessToken!;
                }
            });
            // Then each session is used as a client uses it: its latest access token on a request, once the reuse grace
            // window of its last rotation has passed (what the grain keeps for that window is then no longer needed).
            await Task.Delay(ReuseGrace + TimeSpan.FromSeconds(1), _context.CancellationToken);
            await RunCountedAsync(prefix, "sessions used on GET /me", logins, async (i, ct) =>
            {
                if (await _context.Sessions.GetMeStatusAsync(_port, accessTokens[i], ct) is var status and not 200)
                    throw new InvalidOperationException($"GET /me with session {i} of {prefix} answered {status}");
            });
        }

        // Read back a few users' live sessions: the cap (and nothing else) decides how many each holds.
        var counts = new List<int>();
        foreach (var i in new[] { 0, userCount / 2, userCount - 1 })
            counts.Add(await _context.Sessions.CountSessionsAsync(_port, _adminToken, userIds[i], _context.CancellationToken));
        _result.SpotChecks.Add($"{prefix}: {string.Join(", ", counts)} live sessions (expected {perUser} each)");
        if (counts.Any(c => c != perUser))
            throw new InvalidOperationException($"{prefix}: users hold {string.Join(", ", counts)} live sessions, expected {perUser}");

        await _keepAliveLock.WaitAsync(_context.CancellationToken);
        try
        {
            _earlierMixes.Add(userIds);
        }
        finally
        {
            _keepAliveLock.Release();
        }
        return perSecond;
    }

    /// <summary>
    /// Runs <paramref name="count"/> calls, <see cref="BenchSettings.CreateWorkers"/> at a time, with a progress line every
    /// 10 s; earlier mixes are kept alive meanwhile.
    /// </summary>
    private async Task RunCountedAsync(string prefix, string what, long count, Func<long, CancellationToken, Task> call)
    {
        var cancellationToken = _context.CancellationToken;
        long next = -1, done = 0;
        var clock = Stopwatch.StartNew();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reporter = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(10), stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                if (stop.IsCancellationRequested)
                    break;
                Progress.Line($"memory: {prefix}: {Interlocked.Read(ref done):N0} of {count:N0} {what}, {Interlocked.Read(ref done) / clock.Elapsed.TotalSeconds:0}/s");
                await KeepAliveIfDueAsync();
            }
        }, CancellationToken.None);
        try
        {
            await Task.WhenAll(Enumerable.Range(0, BenchSettings.CreateWorkers).Select(async _ =>
            {
                for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
                {
                    await call(i, cancellationToken);
                    Interlocked.Increment(ref done);
                }
            }));
        }
        finally
        {
            await stop.CancelAsync();
            await reporter;
        }
        Progress.Line($"memory: {prefix}: {count:N0} {what} in {clock.Elapsed.TotalSeconds:0.0} s ({count / clock.Elapsed.TotalSeconds:0}/s)");
    }

    /// <summary>
    /// Reads every user of the earlier mixes by id (their user grain only) if the last round was
    /// <see cref="KeepAliveEvery"/> ago. Not by name: that would reactivate the name grains a login leaves behind.
    /// </summary>
    private async Task KeepAliveIfDueAsync(bool force = false)
    {
        await _keepAliveLock.WaitAsync(_context.CancellationToken);
        try
        {
            if (!force && _clock.Elapsed - _lastKeepAlive < KeepAliveEvery)
                return;
            _longestIdle = Max(_longestIdle, _clock.Elapsed - _lastKeepAlive);
            var userIds = _earlierMixes.SelectMany(m => m).ToArray();
            var started = Stopwatch.GetTimestamp();
            await Parallel.ForEachAsync(userIds, new ParallelOptions { MaxDegreeOfParallelism = KeepAliveWorkers, CancellationToken = _context.CancellationToken },
                async (userId, ct) => await _context.Sessions.GetUserAsync(_port, _adminToken, userId, ct));
            _lastKeepAlive = _clock.Elapsed;
            if (userIds.Length > 0)
                Progress.Line($"memory: kept {userIds.Length:N0} earlier users' grains active ({Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s)");
        }
        finally
        {
            _keepAliveLock.Release();
        }
    }

    private async Task<MemoryPoint> MeasureAsync(string label, long sessions, long users, MemoryPoint? reference, double? createdPerSecond)
    {
        var cancellationToken = _context.CancellationToken;
        // The mixes' own user grains were all just called; every earlier one is called now, right before the reading.
        await KeepAliveIfDueAsync(force: true);
        // The last logins' name grains are still in memory for a few seconds; a user right after login, once their
        // login has been answered, is what is measured, so the reading waits until those are gone.
        await Task.Delay(LoginOnlyGrainsGone, cancellationToken);
        // Twice: objects with finalizers survive the first collection. Then a moment for the GC to give memory back.
        long? gcHeap = null;
        for (var i = 0; i < 2; i++)
            gcHeap = await ManagedHeap.CollectAsync(_pid, TimeSpan.FromSeconds(60), cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        var rss = ProcStat.RssMiB(_pid) ?? throw new InvalidOperationException("the silo exited during the memory run");
        var types = await HeapTypes.TakeAsync(_pid, _folder, cancellationToken);
        var objectsMiB = types.TotalBytes / 1048576.0;
        var gcHeapMiB = gcHeap / 1048576.0;
        var added = sessions - (reference?.Sessions ?? sessions);
        double? PerSession(double? now, double? then) =>
            added <= 0 || now is null || then is null ? null : (now.Value - then.Value) * 1048576.0 / added;
        var point = new MemoryPoint(label, sessions, users, rss, objectsMiB, gcHeapMiB, _clock.Elapsed.TotalSeconds, reference?.Label,
            added >= MinSessionsForRss ? PerSession(rss, reference?.RssMiB) : null,
            PerSession(objectsMiB, reference?.ObjectsMiB),
            PerSession(gcHeapMiB, reference?.GcHeapMiB),
            createdPerSecond,
            reference is not null && added > 0 ? HeapTypes.Growth(_types[reference.Label], types, added, top: 15) : null);
        _types[label] = types;
        _result.Points.Add(point);
        if (reference is not null)
        {
            Progress.Line($"memory: {label}: RSS {rss:0} MiB ({(point.RssBytesPerSession is { } r ? $"{r:0}" : "n/a")} B/session), " +
                $"managed objects {objectsMiB:0} MiB ({point.ObjectBytesPerSession:0} B/session)");
        }
        return point;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static string Username(string prefix, long i) => $"{prefix}u{i:D7}";
}
