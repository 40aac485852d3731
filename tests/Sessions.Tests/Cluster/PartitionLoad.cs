using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Cluster;

/// <summary>
/// Clients of the partitioned cluster, each behaving as a well-written one would: many users' GET /me through both
/// API hosts, refreshes that retry their last acknowledged refresh token until they get a 200 or a definite 400,
/// logins, and revocations through whichever host answers, each followed at once by a probe of the revoked token
/// through every host. It writes down every breach of the suite's invariants as it happens, and checks the rest after
/// the heal.
/// </summary>
public sealed class PartitionLoad : IAsyncDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(8);
    private readonly NetnsCluster _cluster;
    private readonly HttpClient[] _hosts;
    private readonly List<Session> _victims = [];
    private readonly List<Session> _refreshers = [];
    private readonly List<Session> _plain = [];
    private readonly List<(string Name, Session First)> _loginUsers = [];
    private readonly ConcurrentBag<Session> _loggedIn = [];
    private readonly ConcurrentQueue<string> _violations = new();
    private readonly ConcurrentBag<Sample> _samples = [];
    private readonly ConcurrentDictionary<string, ConcurrentBag<string>> _successors = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _running = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private string _adminToken = "";
    private int _revocations;

    private PartitionLoad(NetnsCluster cluster)
    {
        _cluster = cluster;
        _hosts = [NewClient(cluster.Api(1)), NewClient(cluster.Api(2))];
    }

    public IReadOnlyCollection<string> Violations => _violations;

    public TimeSpan Now => _clock.Elapsed;

    /// <summary>How many revocations have been acknowledged (204) so far.</summary>
    public int Revoked => _victims.Count(v => v.RevokedAt is not null);

    /// <summary>Creates the users (through both hosts, so their grains activate wherever the cluster places them now).</summary>
    public static async Task<PartitionLoad> Create(NetnsCluster cluster, int victims = 6, int refreshers = 6, int plain = 6, int loginUsers = 3)
    {
        var load = new PartitionLoad(cluster);
        using var first = new SessionsClient(NewClient(cluster.Api(1)));
        using var second = new SessionsClient(NewClient(cluster.Api(2)));
        SessionsClient Via(int i) => i % 2 == 0 ? first : second;
        load._adminToken = (await Prepared(() => Via(1).AdminLogin())).AccessToken;
        for (var i = 0; i < victims + refreshers + plain + loginUsers; i++)
        {
            var via = Via(i);
            var (userId, username, tokens) = await Prepared(() => via.NewUser());
            var session = new Session(userId, tokens);
            if (i < victims)
                load._victims.Add(session);
            else if (i < victims + refreshers)
                load._refreshers.Add(session);
            else if (i < victims + refreshers + plain)
                load._plain.Add(session);
            else
                load._loginUsers.Add((username, session));
        }
        return load;
    }

    // The cluster may still be settling from the previous scenario (a restarted silo, a key ring moving): a step of the
    // preparation is retried, with a fresh user each time, for up to a minute.
    private static async Task<T> Prepared<T>(Func<Task<T>> step)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            try
            {
                return await step();
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500));
            }
        }
    }

    /// <summary>Starts GET /me of every session through both hosts, the refreshers and the logins.</summary>
    public void Start()
    {
        foreach (var session in _victims.Concat(_refreshers).Concat(_plain).Concat(_loginUsers.Select(l => l.First)))
            StartValidating(session);
        foreach (var (session, i) in _refreshers.Select((s, i) => (s, i)))
            Track(Task.Run(() => Refresh(session, i)));
        Track(Task.Run(Logins));
    }

    /// <summary>Revokes the next victim through whichever host answers, then probes its token through every host.</summary>
    public async Task RevokeNext(TimeSpan within)
    {
        var index = Interlocked.Increment(ref _revocations) - 1;
        if (index >= _victims.Count)
            return;
        var victim = _victims[index];
        var deadline = _clock.Elapsed + within;
        for (var attempt = 0; _clock.Elapsed < deadline; attempt++)
        {
            // The host that answered last time first, the other next: an operator retries elsewhere.
            var host = (attempt + 1) % _hosts.Length;
            var (status, _) = await Send(host, HttpMethod.Post, $"/admin/users/{victim.UserId}/revoke", _adminToken, null, "revoke");
            if (status == HttpStatusCode.NoContent)
            {
                victim.RevokedAt = _clock.Elapsed;
                for (var probe = 0; probe < _hosts.Length; probe++)
                {
                    var (probed, _) = await Send(probe, HttpMethod.Get, "/me", victim.Current.AccessToken, null, "probe");
                    if (probed == HttpStatusCode.OK)
                        _violations.Enqueue($"api{probe + 1} answered 200 to user {victim.UserId}'s token right after its revocation returned 204");
                }
                return;
            }
            if (status is not (HttpStatusCode.ServiceUnavailable or 0))
            {
                _violations.Enqueue($"revoking user {victim.UserId} answered {(int)status}");
                return;
            }
        }
    }

    /// <summary>Stops the load; what was in flight ends first.</summary>
    public async Task Stop()
    {
        await _stop.CancelAsync();
        Task[] running;
        lock (_running)
            running = [.. _running];
        await Task.WhenAll(running);
    }

    /// <summary>
    /// After the heal: every acknowledged session validates through every host, every acknowledged revocation holds,
    /// every refresher's last acknowledged refresh token still works, within <paramref name="within"/> for the first.
    /// </summary>
    public async Task CheckAfterHeal(TimeSpan healedAt, TimeSpan within)
    {
        var live = _refreshers.Concat(_plain).Concat(_loginUsers.Select(l => l.First)).Concat(_loggedIn).ToList();
        var failing = live.Count;
        try
        {
            await Eventually.Succeeds(async () =>
            {
                var notYet = 0;
                foreach (var session in live)
                {
                    for (var host = 0; host < _hosts.Length; host++)
                    {
                        var (status, _) = await Send(host, HttpMethod.Get, "/me", session.Current.AccessToken, null, "after-heal");
                        if (status != HttpStatusCode.OK)
                        {
                            notYet++;
                            break;
                        }
                    }
                }
                failing = notYet;
                return notYet == 0;
            }, healedAt + within - _clock.Elapsed > TimeSpan.FromSeconds(1) ? healedAt + within - _clock.Elapsed : TimeSpan.FromSeconds(1));
        }
        catch (TimeoutException)
        {
            _violations.Enqueue($"{failing} of {live.Count} live sessions were not validating through every host {within.TotalSeconds:0} s after the heal");
        }
        await Stop();
        foreach (var victim in _victims.Where(v => v.RevokedAt is not null))
        {
            for (var host = 0; host < _hosts.Length; host++)
            {
                var status = await Definite(host, HttpMethod.Get, "/me", victim.Current.AccessToken, null);
                if (status != HttpStatusCode.Unauthorized)
                    _violations.Enqueue($"after the heal, api{host + 1} answered {(int)status} to user {victim.UserId}'s revoked token (revocation lost)");
            }
            var refreshed = await Definite(0, HttpMethod.Post, "/oauth/token", null, RefreshForm(victim.Current.RefreshToken));
            if (refreshed != HttpStatusCode.BadRequest)
                _violations.Enqueue($"after the heal, revoked user {victim.UserId}'s refresh token answered {(int)refreshed} (revocation lost)");
        }
        foreach (var session in _refreshers)
        {
            if (session.Ended)
                continue;
            var (status, body) = await DefiniteWithBody(1, HttpMethod.Post, "/oauth/token", null, RefreshForm(session.Current.RefreshToken));
            if (status != HttpStatusCode.OK)
                _violations.Enqueue($"after the heal, user {session.UserId}'s last acknowledged refresh token answered {(int)status} (refresh lost)");
            else
                session.Current = Tokens.From(JsonDocument.Parse(body).RootElement);
        }
        // A refresh token that was answered with two different successors: both must not still work.
        foreach (var (spent, successors) in _successors)
        {
            var distinct = successors.Distinct().ToList();
            if (distinct.Count < 2)
                continue;
            var working = 0;
            foreach (var successor in distinct)
            {
                if (await Definite(0, HttpMethod.Post, "/oauth/token", null, RefreshForm(successor)) == HttpStatusCode.OK)
                    working++;
            }
            if (working > 1)
                _violations.Enqueue($"a refresh token had {working} live lineages");
        }
        foreach (var sample in _samples.Where(s => (int)s.Status >= 500 && s.Status != HttpStatusCode.ServiceUnavailable))
            _violations.Enqueue($"{sample.Kind} through api{sample.Host + 1} answered {(int)sample.Status}");
    }

    /// <summary>The 99th percentile latency of GET /me by live sessions sent between the two moments, in ms.</summary>
    public double P99(TimeSpan from, TimeSpan to)
    {
        var latencies = _samples.Where(s => s.Kind == "me" && s.SentAt >= from && s.SentAt < to).Select(s => s.Latency.TotalMilliseconds).Order().ToList();
        return latencies.Count == 0 ? double.NaN : latencies[(int)Math.Ceiling(latencies.Count * 0.99) - 1];
    }

    /// <summary>GET /me latencies between the two moments by answer: count, p50 and p99 in ms.</summary>
    public string Latencies(TimeSpan from, TimeSpan to) =>
        string.Join(", ", _samples.Where(s => s.Kind == "me" && s.SentAt >= from && s.SentAt < to).GroupBy(s => s.Status).OrderBy(g => g.Key).Select(g =>
        {
            var sorted = g.Select(s => s.Latency.TotalMilliseconds).Order().ToList();
            return $"{(g.Key == 0 ? "none" : ((int)g.Key).ToString())}: {sorted.Count}, p50 {sorted[sorted.Count / 2]:0} ms, p99 {sorted[(int)Math.Ceiling(sorted.Count * 0.99) - 1]:0} ms";
        }));

    public string Summary() =>
        string.Join(", ", _samples.GroupBy(s => (s.Kind, s.Host, s.Status)).OrderBy(g => g.Key.Kind).ThenBy(g => g.Key.Host).ThenBy(g => g.Key.Status)
            .Select(g => $"{g.Key.Kind}@api{g.Key.Host + 1}:{(g.Key.Status == 0 ? "none" : ((int)g.Key.Status).ToString())}={g.Count()}"))
        + $"; revoked {_victims.Count(v => v.RevokedAt is not null)}, logged in {_loggedIn.Count}";

    public async ValueTask DisposeAsync()
    {
        await Stop();
        foreach (var host in _hosts)
            host.Dispose();
        _stop.Dispose();
    }

    // One loop per session and host: a request stuck on an unreachable grain holds up nobody else's.
    private void StartValidating(Session session)
    {
        for (var host = 0; host < _hosts.Length; host++)
        {
            var h = host;
            Track(Task.Run(() => Validate(h, session)));
        }
    }

    private void Track(Task task)
    {
        lock (_running)
            _running.Add(task);
    }

    private async Task Validate(int host, Session session)
    {
        while (!_stop.IsCancellationRequested)
        {
            var token = session.Current.AccessToken;
            var sentAt = _clock.Elapsed;
            var revokedAt = session.RevokedAt;
            var (status, _) = await Send(host, HttpMethod.Get, "/me", token, null, "me");
            if (status == HttpStatusCode.OK && revokedAt is not null && sentAt > revokedAt)
                _violations.Enqueue($"api{host + 1} answered 200 to user {session.UserId}'s token {(sentAt - revokedAt.Value).TotalMilliseconds:0} ms after its revocation returned");
            await Pace(TimeSpan.FromMilliseconds(100));
        }
    }

    private async Task Refresh(Session session, int index)
    {
        var host = index % _hosts.Length;
        while (!_stop.IsCancellationRequested && !session.Ended)
        {
            var presented = session.Current.RefreshToken;
            var (status, body) = await SendForm(host, "/oauth/token", RefreshForm(presented), "refresh");
            switch (status)
            {
                case HttpStatusCode.OK:
                    var next = Tokens.From(JsonDocument.Parse(body).RootElement);
                    _successors.GetOrAdd(presented, _ => []).Add(next.RefreshToken);
                    session.Current = next;
                    break;
                case HttpStatusCode.BadRequest:
                    // Only ever the last acknowledged token was presented: ending the session is the bug the suite hunts.
                    session.Ended = true;
                    _violations.Enqueue($"user {session.UserId}'s session ended (400 {Error(body)}) on a retry of its last acknowledged refresh token through api{host + 1}");
                    break;
                default:
                    // No answer or 503: maybe applied. Retry the same token, through the other host too.
                    host = (host + 1) % _hosts.Length;
                    break;
            }
            await Pace(TimeSpan.FromMilliseconds(700));
        }
    }

    private async Task Logins()
    {
        var host = 0;
        while (!_stop.IsCancellationRequested)
        {
            foreach (var (name, first) in _loginUsers)
            {
                if (_stop.IsCancellationRequested)
                    return;
                var form = new FormUrlEncodedContent([new("grant_type", "password"), new("username", name), new("password", SessionsClient.Password)]);
                var (status, body) = await Send(host, HttpMethod.Post, "/oauth/token", null, form, "login");
                if (status == HttpStatusCode.OK && _loggedIn.Count < 20)
                {
                    var session = new Session(first.UserId, Tokens.From(JsonDocument.Parse(body).RootElement));
                    _loggedIn.Add(session);
                    StartValidating(session);
                }
                host = (host + 1) % _hosts.Length;
                await Pace(TimeSpan.FromMilliseconds(1500));
            }
        }
    }

    // Pacing of the load generator itself (how often a client acts), not a wait for the system.
    private async Task Pace(TimeSpan interval)
    {
        try
        {
            await Task.Delay(interval, _stop.Token);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task<(HttpStatusCode Status, string Body)> Send(int host, HttpMethod method, string path, string? token, HttpContent? content, string kind)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var sentAt = _clock.Elapsed;
        HttpStatusCode status = 0;
        var body = "";
        try
        {
            using var response = await _hosts[host].SendAsync(request);
            status = response.StatusCode;
            body = await response.Content.ReadAsStringAsync();
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            // No answer: the request may or may not have been applied.
        }
        _samples.Add(new Sample(kind, host, status, sentAt, _clock.Elapsed - sentAt));
        return (status, body);
    }

    private async Task<HttpStatusCode> Definite(int host, HttpMethod method, string path, string? token, Func<HttpContent>? content) =>
        (await DefiniteWithBody(host, method, path, token, content)).Status;

    /// <summary>Retries 503 and no answer (for up to 30 s) until the cluster gives a definite answer.</summary>
    private async Task<(HttpStatusCode Status, string Body)> DefiniteWithBody(int host, HttpMethod method, string path, string? token, Func<HttpContent>? content)
    {
        var deadline = _clock.Elapsed + TimeSpan.FromSeconds(30);
        while (true)
        {
            var (status, body) = await Send(host, method, path, token, content?.Invoke(), "check");
            if (status is not (HttpStatusCode.ServiceUnavailable or 0) || _clock.Elapsed > deadline)
                return (status, body);
            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }

    private static Func<HttpContent> RefreshForm(string refreshToken) =>
        () => new FormUrlEncodedContent([new("grant_type", "refresh_token"), new("refresh_token", refreshToken)]);

    private Task<(HttpStatusCode Status, string Body)> SendForm(int host, string path, Func<HttpContent> content, string kind) =>
        Send(host, HttpMethod.Post, path, null, content(), kind);

    private static string Error(string body)
    {
        try
        {
            return JsonDocument.Parse(body).RootElement.GetProperty("error").GetString() ?? "";
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return "";
        }
    }

    private static HttpClient NewClient(Uri address) => new() { BaseAddress = address, Timeout = RequestTimeout };

    private sealed class Session(string userId, Tokens tokens)
    {
        private volatile Tokens _current = tokens;

        public string UserId { get; } = userId;

        public Tokens Current
        {
            get => _current;
            set => _current = value;
        }

        private long _revokedAtTicks = -1;
        private volatile bool _ended;

        /// <summary>When the revocation of this user returned 204, on the load's clock.</summary>
        public TimeSpan? RevokedAt
        {
            get => Interlocked.Read(ref _revokedAtTicks) is var ticks and >= 0 ? TimeSpan.FromTicks(ticks) : null;
            set => Interlocked.Exchange(ref _revokedAtTicks, value?.Ticks ?? -1);
        }

        public bool Ended
        {
            get => _ended;
            set => _ended = value;
        }
    }

    private sealed record Sample(string Kind, int Host, HttpStatusCode Status, TimeSpan SentAt, TimeSpan Latency);
}
