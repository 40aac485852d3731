using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Sessions.Grains;
using Sessions.Grains.Telemetry;
using Sessions.Grains.Users;

namespace Sessions.Tests.Grains;

/// <summary>The one mapping from a user grain's outcomes to metrics and audit events, on a meter and a log of its own.</summary>
public sealed class UserEventsTests : IDisposable
{
    private const string UserId = "user-1";
    private static readonly DateTimeOffset Now = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly FakeLogCollector _logs = new();
    private readonly MetricCollector<long> _ended;
    private readonly MetricCollector<long> _refreshes;
    private readonly MetricCollector<long> _reuse;
    private readonly MetricCollector<long> _logins;
    private readonly UserEvents _events;

    public UserEventsTests()
    {
        var meterFactory = _services.GetRequiredService<IMeterFactory>();
        _ended = new(meterFactory, SessionsTelemetry.MeterName, "ended");
        _refreshes = new(meterFactory, SessionsTelemetry.MeterName, "refreshes");
        _reuse = new(meterFactory, SessionsTelemetry.MeterName, "refresh_reuse_detected");
        _logins = new(meterFactory, SessionsTelemetry.MeterName, "logins_succeeded");
        var loggerFactory = LoggerFactory.Create(logging => logging.AddProvider(new FakeLoggerProvider(_logs)));
        _events = new UserEvents(new GrainMetrics(meterFactory), new AuditLog(loggerFactory));
    }

    public void Dispose()
    {
        _ended.Dispose();
        _refreshes.Dispose();
        _reuse.Dispose();
        _logins.Dispose();
        _services.Dispose();
    }

    [Fact]
    public void LoggedIn_EndingAnExpiredAndAReplacedSession_CountsBothAndAuditsOnlyTheReplacedOne()
    {
        var session = Session("new", "phone");
        List<EndedSession> ended = [new(Session("stale", "laptop"), SessionEndReason.IdleExpired), new(Session("old", "phone"), SessionEndReason.DeviceReplaced)];

        _events.LoggedIn(UserId, session, ended, "203.0.113.9");

        Assert.Equal(["idle_expired", "device_replaced"], EndedReasons());
        Assert.Equal(1, _logins.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal([1006, 1002], AuditIds());
        var replaced = _logs.GetSnapshot()[0];
        Assert.Equal("old", Field(replaced, "SessionId"));
        Assert.Equal("device_replaced", Field(replaced, "Reason"));
        Assert.Equal("203.0.113.9", Field(replaced, "ClientIp"));
    }

    [Theory]
    [InlineData(LogoutScope.Local, 1008)]
    [InlineData(LogoutScope.Others, 1014)]
    [InlineData(LogoutScope.Global, 1015)]
    public void LoggedOut_EachScope_IsItsOwnAuditEvent(LogoutScope scope, int eventId)
    {
        List<EndedSession> ended = [new(Session("a", "phone"), SessionEndReason.Logout), new(Session("b", "laptop"), SessionEndReason.AbsoluteExpired)];

        _events.LoggedOut(UserId, "a", "phone", scope, ended);

        Assert.Equal(["logout", "absolute_expired"], EndedReasons());
        Assert.Equal([eventId], AuditIds());
    }

    [Fact]
    public void LoggedOut_Others_NamesHowManySessionsEnded()
    {
        List<EndedSession> ended = [new(Session("b", "laptop"), SessionEndReason.Logout), new(Session("c", "tablet"), SessionEndReason.Logout)];

        _events.LoggedOut(UserId, "a", "phone", LogoutScope.Others, ended);

        Assert.Equal("2", Field(_logs.GetSnapshot()[0], "EndedSessions"));
    }

    [Theory]
    [InlineData(RefreshOutcome.Rotated, "rotated")]
    [InlineData(RefreshOutcome.Replayed, "replayed")]
    [InlineData(RefreshOutcome.Rejected, "rejected")]
    public void Refreshed_AnythingButTheft_CountsItsResultAndAuditsNothing(RefreshOutcome outcome, string result)
    {
        _events.Refreshed(outcome, UserId, Session("a", "phone"));

        Assert.Equal([result], RefreshResults());
        Assert.Empty(EndedReasons());
        Assert.Empty(AuditIds());
    }

    [Fact]
    public void Refreshed_Theft_CountsReuseAndATheftEndingAndAuditsIt()
    {
        _events.Refreshed(RefreshOutcome.Theft, UserId, Session("a", "phone"));

        Assert.Equal(["reused"], RefreshResults());
        Assert.Equal(1, _reuse.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(["theft"], EndedReasons());
        Assert.Equal([1005], AuditIds());
        Assert.Equal("a", Field(_logs.GetSnapshot()[0], "SessionId"));
    }

    [Fact]
    public void Refreshed_RejectedWithoutASession_CountsARejection()
    {
        _events.Refreshed(RefreshOutcome.Rejected, UserId, null);

        Assert.Equal(["rejected"], RefreshResults());
    }

    [Theory]
    [InlineData(SessionEndReason.Logout, 1016)]
    [InlineData(SessionEndReason.Revoked, 1017)]
    public void SessionEnded_ByItsUserOrAnAdmin_IsTheMatchingAuditEvent(SessionEndReason reason, int eventId)
    {
        _events.SessionEnded(UserId, new EndedSession(Session("a", "phone"), reason));

        Assert.Equal([reason.MetricLabel()], EndedReasons());
        Assert.Equal([eventId], AuditIds());
    }

    [Fact]
    public void Expired_Always_CountsTheEndingAndAuditsNothing()
    {
        _events.Expired(SessionEndReason.IdleExpired);

        Assert.Equal(["idle_expired"], EndedReasons());
        Assert.Empty(AuditIds());
    }

    [Fact]
    public void DisabledSet_TrueEndingSessions_CountsThemAndAuditsTheDisable()
    {
        _events.DisabledSet(UserId, disabled: true, [new(Session("a", "phone"), SessionEndReason.Disabled)]);

        Assert.Equal(["disabled"], EndedReasons());
        Assert.Equal([1012], AuditIds());
    }

    [Fact]
    public void DisabledSet_False_AuditsTheEnable()
    {
        _events.DisabledSet(UserId, disabled: false, []);

        Assert.Empty(EndedReasons());
        Assert.Equal([1013], AuditIds());
    }

    private List<string?> EndedReasons() => [.. _ended.GetMeasurementSnapshot().Select(m => (string?)m.Tags["reason"])];

    private List<string?> RefreshResults() => [.. _refreshes.GetMeasurementSnapshot().Select(m => (string?)m.Tags["result"])];

    private List<int> AuditIds() => [.. _logs.GetSnapshot().Where(r => r.Category == SessionsTelemetry.AuditCategory).Select(r => r.Id.Id)];

    private static string? Field(FakeLogRecord record, string name) => record.StructuredState!.Single(kv => kv.Key == name).Value;

    private static SessionState Session(string sessionId, string deviceId) => new()
    {
        SessionId = sessionId,
        DeviceId = deviceId,
        CreatedAt = Now,
        LastSeenAt = Now,
        ExpiresAt = Now + TimeSpan.FromDays(1),
    };
}
