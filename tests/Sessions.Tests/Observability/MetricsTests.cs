using System.Net;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Observability;

/// <summary><c>/metrics</c> of the single-process service: exact counter deltas around what a test does over HTTP.</summary>
[Collection(ObservedAppCollection.Name)]
public sealed class MetricsTests(ObservedSessionsApp app)
{
    private const string LoginsSucceeded = "sessions_logins_succeeded";
    private const string SessionsStarted = "sessions_started";
    private const string BadPassword = "sessions_login_failures{reason=\"bad_password\"}";
    private const string UnknownUser = "sessions_login_failures{reason=\"unknown_user\"}";
    private const string LockedOut = "sessions_login_failures{reason=\"locked_out\"}";
    private const string DisabledLogin = "sessions_login_failures{reason=\"disabled\"}";
    private const string Lockouts = "sessions_lockouts";
    private const string EndedRevoked = "sessions_ended{reason=\"revoked\"}";
    private const string EndedLogout = "sessions_ended{reason=\"logout\"}";
    private const string EndedTheft = "sessions_ended{reason=\"theft\"}";
    private const string EndedIdle = "sessions_ended{reason=\"idle_expired\"}";
    private const string EndedDisabled = "sessions_ended{reason=\"disabled\"}";
    private const string Accepted = "sessions_access_tokens_accepted";
    private const string RejectedSessionEnded = "sessions_access_tokens_rejected{reason=\"session_ended\"}";
    private const string RejectedExpired = "sessions_access_tokens_rejected{reason=\"expired\"}";
    private const string RejectedBadSignature = "sessions_access_tokens_rejected{reason=\"bad_signature\"}";
    private const string CheckCount = "sessions_access_check_duration_seconds_count";
    private const string Rotated = "sessions_refreshes{result=\"rotated\"}";
    private const string Replayed = "sessions_refreshes{result=\"replayed\"}";
    private const string Rejected = "sessions_refreshes{result=\"rejected\"}";
    private const string Reused = "sessions_refreshes{result=\"reused\"}";
    private const string ReuseDetected = "sessions_refresh_reuse_detected";

    [Fact]
    public async Task Metrics_AfterLoginFailedLoginRevokeAndRejectedToken_CountEachExactlyOnce()
    {
        using var client = app.NewClient();
        var username = SessionsClient.NewUsername();
        await client.Register(username);
        var before = await PrometheusText.Scrape(client.Http);

        var tokens = await client.Login(username);
        Assert.Equal(HttpStatusCode.BadRequest, await client.StatusOf(client.PostToken(("grant_type", "password"), ("username", username), ("password", "not the password"))));
        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Get("/me", tokens.AccessToken)));
        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Http.PostAsync("/oauth/revoke",
            new FormUrlEncodedContent([KeyValuePair.Create("token", tokens.RefreshToken)]))));
        Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOf(client.Get("/me", tokens.AccessToken)));
        var after = await PrometheusText.Scrape(client.Http);

        Assert.Equal(new Dictionary<string, double>
        {
            [LoginsSucceeded] = 1,
            [SessionsStarted] = 1,
            [BadPassword] = 1,
            [UnknownUser] = 0,
            [Lockouts] = 0,
            [EndedRevoked] = 1,
            [EndedLogout] = 0,
            [Accepted] = 1,
            [RejectedSessionEnded] = 1,
            [CheckCount] = 2,
        }, after.Deltas(before, LoginsSucceeded, SessionsStarted, BadPassword, UnknownUser, Lockouts, EndedRevoked, EndedLogout, Accepted,
            RejectedSessionEnded, CheckCount));
        Assert.Equal("histogram", after.TypeOf("sessions_access_check_duration_seconds"));
    }

    [Fact]
    public async Task Metrics_TokenWithBrokenSignature_CountsABadSignatureAndNoGrainCheck()
    {
        using var client = app.NewClient();
        var (_, _, tokens) = await client.NewUser();
        var before = await PrometheusText.Scrape(client.Http);
        var forged = tokens.AccessToken[..^4] + (tokens.AccessToken.EndsWith("AAAA") ? "BBBB" : "AAAA");

        Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOf(client.Get("/me", forged)));
        var after = await PrometheusText.Scrape(client.Http);

        Assert.Equal(new Dictionary<string, double> { [RejectedBadSignature] = 1, [CheckCount] = 0, [Accepted] = 0 },
            after.Deltas(before, RejectedBadSignature, CheckCount, Accepted));
    }

    [Fact]
    public async Task Metrics_RefreshReplayAndReuse_CountRotationReplayTheftAndRejection()
    {
        using var client = app.NewClient();
        var (_, _, tokens) = await client.NewUser();
        var before = await PrometheusText.Scrape(client.Http);

        using var first = await client.Refresh(tokens.RefreshToken);
        var rotated = Tokens.From(await SessionsClient.Json(first));
        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Refresh(tokens.RefreshToken)));
        // Used, so its predecessor is no longer a retry of a lost answer once the grace window has passed.
        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Get("/me", rotated.AccessToken)));
        app.Time.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal(HttpStatusCode.BadRequest, await client.StatusOf(client.Refresh(tokens.RefreshToken)));
        Assert.Equal(HttpStatusCode.BadRequest, await client.StatusOf(client.Refresh(rotated.RefreshToken)));
        var after = await PrometheusText.Scrape(client.Http);

        Assert.Equal(new Dictionary<string, double>
        {
            [Rotated] = 1,
            [Replayed] = 1,
            [Reused] = 1,
            [ReuseDetected] = 1,
            [EndedTheft] = 1,
            [Rejected] = 1,
        }, after.Deltas(before, Rotated, Replayed, Reused, ReuseDetected, EndedTheft, Rejected));
    }

    [Fact]
    public async Task Metrics_IdleSession_CountsItsEndingWhenTheGrainNoticesAndTheExpiredToken()
    {
        using var client = app.NewClient();
        var (_, _, tokens) = await client.NewUser();
        var before = await PrometheusText.Scrape(client.Http);
        app.Time.Advance(TimeSpan.FromMinutes(31));

        Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOf(client.Get("/me", tokens.AccessToken)));
        Assert.Equal(HttpStatusCode.BadRequest, await client.StatusOf(client.Refresh(tokens.RefreshToken)));
        var after = await PrometheusText.Scrape(client.Http);

        Assert.Equal(new Dictionary<string, double> { [RejectedExpired] = 1, [EndedIdle] = 1, [Rejected] = 1, [CheckCount] = 0 },
            after.Deltas(before, RejectedExpired, EndedIdle, Rejected, CheckCount));
    }

    [Fact]
    public async Task Metrics_FiveWrongPasswords_CountFiveFailuresOneLockoutThenLockedOutRefusals()
    {
        using var client = app.NewClient();
        var username = SessionsClient.NewUsername();
        await client.Register(username);
        var before = await PrometheusText.Scrape(client.Http);

        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.BadRequest, await client.StatusOf(client.PostToken(("grant_type", "password"), ("username", username), ("password", "wrong"))));
        Assert.Equal(HttpStatusCode.BadRequest, await client.StatusOf(client.PostToken(("grant_type", "password"), ("username", username), ("password", SessionsClient.Password))));
        var after = await PrometheusText.Scrape(client.Http);

        Assert.Equal(new Dictionary<string, double> { [BadPassword] = 5, [Lockouts] = 1, [LockedOut] = 1, [LoginsSucceeded] = 0 },
            after.Deltas(before, BadPassword, Lockouts, LockedOut, LoginsSucceeded));
    }

    [Fact]
    public async Task Metrics_UnknownUserAndDisabledAccount_CountTheirOwnReasons()
    {
        using var client = app.NewClient();
        var admin = await client.AdminLogin();
        var (userId, username, _) = await client.NewUser();
        var before = await PrometheusText.Scrape(client.Http);

        Assert.Equal(HttpStatusCode.BadRequest, await client.StatusOf(client.PostToken(("grant_type", "password"), ("username", SessionsClient.NewUsername()), ("password", "whatever"))));
        Assert.Equal(HttpStatusCode.NoContent, await client.StatusOf(client.Post($"/admin/users/{userId}/disable", admin.AccessToken)));
        Assert.Equal(HttpStatusCode.BadRequest, await client.StatusOf(client.PostToken(("grant_type", "password"), ("username", username), ("password", SessionsClient.Password))));
        var after = await PrometheusText.Scrape(client.Http);

        Assert.Equal(new Dictionary<string, double> { [UnknownUser] = 1, [DisabledLogin] = 1, [EndedDisabled] = 1 },
            after.Deltas(before, UnknownUser, DisabledLogin, EndedDisabled));
    }

    [Fact]
    public async Task Metrics_Text_NamesNoUserSessionOrDeviceId()
    {
        using var client = app.NewClient();
        var admin = await client.AdminLogin();
        var (userId, _, tokens) = await client.NewUser(deviceId: "metrics-test-device");
        await client.StatusOf(client.Get("/me", tokens.AccessToken));
        await client.StatusOf(client.Delete($"/admin/users/{userId}/sessions/{tokens.SessionId}", admin.AccessToken));
        await client.StatusOf(client.Get("/me", tokens.AccessToken));

        var text = (await PrometheusText.Scrape(client.Http)).Text;

        Assert.Contains("sessions_ended{reason=\"revoked\"}", text);
        Assert.DoesNotContain(userId, text);
        Assert.DoesNotContain(tokens.SessionId, text);
        Assert.DoesNotContain("metrics-test-device", text);
    }
}
