using System.Collections.Concurrent;
using System.Net;
using Npgsql;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Cluster;

/// <summary>
/// The contract's guarantees on a real cluster (2 silos, 2 API hosts, PostgreSQL) while silos crash, come and go,
/// and the database goes away. Requests may be refused with 503 during a fault; never 500, and never a revoked token accepted.
/// </summary>
[Collection(LocalClusterCollection.Name)]
public sealed class ClusterFaultTests(LocalCluster cluster)
{
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Revoke_OnHostB_IsEffectiveOnHostAOnTheVeryNextRequest()
    {
        using var a = cluster.Client(0);
        using var b = cluster.Client(1);
        var admin = await Retry503(() => b.AdminLogin());
        for (var i = 0; i < 10; i++)
        {
            var (userId, _, tokens) = await Retry503(() => a.NewUser());
            Assert.Equal(HttpStatusCode.OK, await a.StatusOf(a.Get("/me", tokens.AccessToken)));

            Assert.Equal(HttpStatusCode.NoContent, await b.StatusOf(b.Post($"/admin/users/{userId}/revoke", admin.AccessToken)));

            Assert.Equal(HttpStatusCode.Unauthorized, await a.StatusOf(a.Get("/me", tokens.AccessToken)));
        }
    }

    [Fact]
    public async Task KillSilo_UnderLoad_LosesNoAcknowledgedStateAndNeverAnswers500()
    {
        using var a = cluster.Client(0);
        using var b = cluster.Client(1);
        var admin = await Retry503(() => b.AdminLogin());
        var live = new List<Tokens>();
        var revoked = new List<Tokens>();
        var rotatedAway = new List<Tokens>();
        for (var i = 0; i < 12; i++)
        {
            var (userId, _, tokens) = await Retry503(() => a.NewUser());
            switch (i % 3)
            {
                case 0:
                    live.Add(tokens);
                    break;
                case 1:
                    Assert.Equal(HttpStatusCode.NoContent, await b.StatusOf(b.Post($"/admin/users/{userId}/revoke", admin.AccessToken)));
                    revoked.Add(tokens);
                    break;
                default:
                    using (var refreshed = await b.Refresh(tokens.RefreshToken))
                    {
                        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
                        rotatedAway.Add(tokens);
                        live.Add(Tokens.From(await SessionsClient.Json(refreshed)));
                    }
                    break;
            }
        }

        var statuses = new ConcurrentBag<(bool Revoked, HttpStatusCode Status)>();
        using var load = new CancellationTokenSource();
        var loadTask = Task.WhenAll(new[] { a, b }.Select(client => Task.Run(async () =>
        {
            while (!load.IsCancellationRequested)
            {
                foreach (var token in live.Concat(revoked))
                    statuses.Add((revoked.Contains(token), await client.StatusOf(client.Get("/me", token.AccessToken))));
            }
        })));

        var killedGeneration = await ActiveGeneration(cluster.SiloPort(1));
        await cluster.KillSilo(1);
        // kill -9 leaves the silo no chance to say goodbye: only the survivor's probes can declare it dead.
        await Eventually.Succeeds(async () => await Status(cluster.SiloPort(1), killedGeneration) == DeadStatus, Recovery,
            "the killed silo's membership row goes Dead");
        // Every live session comes back through either host once the cluster has noticed the dead silo.
        await Eventually.Succeeds(async () =>
        {
            foreach (var token in live)
            {
                if (await a.StatusOf(a.Get("/me", token.AccessToken)) != HttpStatusCode.OK
                    || await b.StatusOf(b.Get("/me", token.AccessToken)) != HttpStatusCode.OK)
                    return false;
            }
            return true;
        }, Recovery, "live sessions after a silo was killed");
        await load.CancelAsync();
        await loadTask;
        await cluster.StartSilo(1);

        Assert.DoesNotContain(statuses, s => s.Status == HttpStatusCode.InternalServerError);
        Assert.DoesNotContain(statuses, s => s.Revoked && s.Status == HttpStatusCode.OK);
        Assert.All(statuses, s => Assert.Contains(s.Status, new[] { HttpStatusCode.OK, HttpStatusCode.Unauthorized, HttpStatusCode.ServiceUnavailable }));
        foreach (var token in revoked)
            Assert.Equal(HttpStatusCode.Unauthorized, await Retry503Status(() => a.Get("/me", token.AccessToken)));
        foreach (var token in live)
            Assert.Equal("OK", await Retry503(() => Describe(b.Get("/me", token.AccessToken))));
        // Last, because replaying a spent refresh token after the grace window is theft: it ends that session.
        foreach (var token in rotatedAway)
            Assert.Equal(HttpStatusCode.BadRequest, await Retry503Status(() => a.Refresh(token.RefreshToken)));
    }

    [Fact]
    public async Task SiloJoinsAndLeaves_UnderLoad_AcceptsNoRevokedTokenAndLosesNoSession()
    {
        using var a = cluster.Client(0);
        using var b = cluster.Client(1);
        var admin = await Retry503(() => b.AdminLogin());
        var users = new List<(string UserId, Tokens Tokens)>();
        for (var i = 0; i < 10; i++)
        {
            var (userId, _, tokens) = await Retry503(() => a.NewUser());
            users.Add((userId, tokens));
        }
        var revoked = new ConcurrentDictionary<string, bool>();
        var acceptedRevoked = 0;
        var serverErrors = 0;
        using var load = new CancellationTokenSource();
        var loadTask = Task.WhenAll(new[] { a, b }.Select(client => Task.Run(async () =>
        {
            while (!load.IsCancellationRequested)
            {
                foreach (var (userId, tokens) in users)
                {
                    var wasRevoked = revoked.ContainsKey(userId);
                    var status = await client.StatusOf(client.Get("/me", tokens.AccessToken));
                    if (wasRevoked && status == HttpStatusCode.OK)
                        Interlocked.Increment(ref acceptedRevoked);
                    if (status == HttpStatusCode.InternalServerError)
                        Interlocked.Increment(ref serverErrors);
                }
            }
        })));

        await cluster.StartSilo(3);
        // Revocations while the membership changes: acknowledged means effective everywhere.
        foreach (var (userId, _) in users.Take(5))
        {
            Assert.Equal(HttpStatusCode.NoContent, await Retry503Status(() => b.Post($"/admin/users/{userId}/revoke", admin.AccessToken)));
            revoked[userId] = true;
        }
        await cluster.StopSilo(2);
        foreach (var (userId, _) in users.Skip(5).Take(2))
        {
            Assert.Equal(HttpStatusCode.NoContent, await Retry503Status(() => b.Post($"/admin/users/{userId}/revoke", admin.AccessToken)));
            revoked[userId] = true;
        }
        await load.CancelAsync();
        await loadTask;
        await cluster.StartSilo(2);
        await cluster.StopSilo(3);

        Assert.Equal(0, acceptedRevoked);
        Assert.Equal(0, serverErrors);
        foreach (var (userId, tokens) in users)
        {
            var expected = revoked.ContainsKey(userId) ? HttpStatusCode.Unauthorized : HttpStatusCode.OK;
            Assert.Equal(expected, await Retry503Status(() => a.Get("/me", tokens.AccessToken)));
        }
    }

    [Fact]
    public async Task PostgresDown_SecurityWritesFailClosedAndTheServiceRecoversWithoutRestart()
    {
        using var a = cluster.Client(0);
        using var b = cluster.Client(1);
        var admin = await Retry503(() => b.AdminLogin());
        var (victimId, _, victim) = await Retry503(() => a.NewUser());
        var (_, _, bystander) = await Retry503(() => a.NewUser());
        Assert.Equal(HttpStatusCode.OK, await a.StatusOf(a.Get("/me", bystander.AccessToken)));

        await cluster.StopPostgres();
        HttpStatusCode revokeDuringOutage, bystanderDuringOutage;
        try
        {
            revokeDuringOutage = await b.StatusOf(b.Post($"/admin/users/{victimId}/revoke", admin.AccessToken));
            // Validation needs no database: sessions already in memory keep working.
            bystanderDuringOutage = await a.StatusOf(a.Get("/me", bystander.AccessToken));
        }
        finally
        {
            await cluster.StartPostgres();
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, revokeDuringOutage);
        Assert.Equal(HttpStatusCode.OK, bystanderDuringOutage);
        // Not acknowledged, so not in effect: the victim's session is as it was once the database is back.
        Assert.Equal(HttpStatusCode.OK, await Retry503Status(() => a.Get("/me", victim.AccessToken)));
        Assert.Equal(HttpStatusCode.NoContent, await Retry503Status(() => b.Post($"/admin/users/{victimId}/revoke", admin.AccessToken)));
        Assert.Equal(HttpStatusCode.Unauthorized, await a.StatusOf(a.Get("/me", victim.AccessToken)));
    }

    [Fact]
    public async Task GracefulSiloShutdown_PersistsTheSlidingItHeldInMemory()
    {
        using var a = cluster.Client(0);
        using var b = cluster.Client(1);
        var (userId, _, tokens) = await Retry503(() => a.NewUser());
        var admin = await Retry503(() => b.AdminLogin());
        var loggedInAt = await LastSeen(b, admin.AccessToken, userId);
        await Eventually.Succeeds(() => Task.FromResult(DateTimeOffset.UtcNow > loggedInAt + TimeSpan.FromSeconds(1)), TimeSpan.FromSeconds(5));
        Assert.Equal(HttpStatusCode.OK, await a.StatusOf(a.Get("/me", tokens.AccessToken)));
        var slidAt = await LastSeen(b, admin.AccessToken, userId);
        Assert.True(slidAt > loggedInAt);

        // Every silo stops gracefully once, so the grain can only have kept the sliding by writing it on the way out.
        foreach (var silo in new[] { 1, 2 })
        {
            await cluster.StopSilo(silo);
            await cluster.StartSilo(silo);
        }

        Assert.Equal(slidAt, await Retry503(() => LastSeen(b, admin.AccessToken, userId)));
    }

    [Fact]
    public async Task ApiHost_StartedWithNoSiloUp_Answers503AndRecoversByItself()
    {
        using var a = cluster.Client(0);
        await cluster.StopApi(1);
        await cluster.StopSilo(1);
        await cluster.StopSilo(2);
        HttpStatusCode ready, token;
        try
        {
            await cluster.StartApi(1);
            ready = await a.StatusOf(a.Get("/health/ready", accessToken: null));
            token = await a.StatusOf(a.PostToken(("grant_type", "password"), ("username", "someone"), ("password", "whatever1")));
        }
        finally
        {
            await cluster.StartSilo(1);
            await cluster.StartSilo(2);
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, token);
        await Eventually.Succeeds(async () => await a.StatusOf(a.Get("/health/ready", accessToken: null)) == HttpStatusCode.OK,
            Recovery, "the API host connects once silos are up, without a restart");
        var (_, _, tokens) = await Retry503(() => a.NewUser());
        Assert.Equal(HttpStatusCode.OK, await a.StatusOf(a.Get("/me", tokens.AccessToken)));
    }

    private const int ActiveStatus = 3;
    private const int DeadStatus = 6;

    private async Task<int> ActiveGeneration(int port)
    {
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT generation FROM orleans_membership WHERE port = @port AND status = @active", connection);
        command.Parameters.AddWithValue("port", port);
        command.Parameters.AddWithValue("active", ActiveStatus);
        return (int)(await command.ExecuteScalarAsync())!;
    }

    private async Task<int> Status(int port, int generation)
    {
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT status FROM orleans_membership WHERE port = @port AND generation = @generation", connection);
        command.Parameters.AddWithValue("port", port);
        command.Parameters.AddWithValue("generation", generation);
        return (int)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<DateTimeOffset> LastSeen(SessionsClient client, string adminToken, string userId)
    {
        using var response = await client.Get($"/admin/users/{userId}/sessions", adminToken);
        if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            throw new HttpRequestException("503", null, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await SessionsClient.Json(response))[0].GetProperty("lastSeenAt").GetDateTimeOffset();
    }

    // During and right after a fault a request may be refused with 503; the client's job is to retry.
    internal static async Task<T> Retry503<T>(Func<Task<T>> call)
    {
        var deadline = DateTime.UtcNow + Recovery;
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250));
            }
        }
    }

    // The status, and for a refusal the reason the service gave, so a failure says why.
    private static async Task<string> Describe(Task<HttpResponseMessage> request)
    {
        using var response = await request;
        if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            throw new HttpRequestException("503", null, response.StatusCode);
        return response.IsSuccessStatusCode ? "OK" : $"{(int)response.StatusCode} {response.Headers.WwwAuthenticate}";
    }

    private static Task<HttpStatusCode> Retry503Status(Func<Task<HttpResponseMessage>> call) => Retry503(async () =>
    {
        using var response = await call();
        return response.StatusCode == HttpStatusCode.ServiceUnavailable
            ? throw new HttpRequestException("503", null, response.StatusCode)
            : response.StatusCode;
    });
}
