using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Sessions.Grains;
using Sessions.Silo.Operator;
using Sessions.Tests.Infrastructure;
using Sessions.Tests.Security;

namespace Sessions.Tests.Observability;

/// <summary>
/// Each security event is one audit record under <see cref="SessionsTelemetry.AuditCategory"/>, with a stable event id
/// and exactly its documented fields: the user, session and device it touched, the client address the request came
/// from, and for admin actions the admin.
/// </summary>
[Collection(ObservedAppCollection.Name)]
public sealed class AuditLogTests(ObservedSessionsApp app)
{
    [Fact]
    public async Task Register_AuditsAccountCreatedWithTheClientAddress()
    {
        using var client = app.NewClient("203.0.113.1");

        var userId = await client.Register(SessionsClient.NewUsername());

        AssertFields(Audit(1001, userId), LogLevel.Information, new() { ["UserId"] = userId, ["ClientIp"] = "203.0.113.1" });
    }

    [Fact]
    public async Task Login_AuditsTheSessionDeviceAndClientAddress()
    {
        using var client = app.NewClient("203.0.113.2");

        var (userId, _, tokens) = await client.NewUser(deviceId: "audit-laptop");

        AssertFields(Audit(1002, userId), LogLevel.Information, new()
        {
            ["UserId"] = userId, ["SessionId"] = tokens.SessionId, ["DeviceId"] = "audit-laptop", ["ClientIp"] = "203.0.113.2",
        });
    }

    [Fact]
    public async Task Login_WithWrongPassword_AuditsARefusalWithItsReason()
    {
        using var client = app.NewClient("203.0.113.3");
        var username = SessionsClient.NewUsername();
        var userId = await client.Register(username);

        await client.StatusOf(client.PostToken(("grant_type", "password"), ("username", username), ("password", "wrong password")));

        AssertFields(Audit(1003, userId), LogLevel.Warning, new() { ["UserId"] = userId, ["Reason"] = "bad_password", ["ClientIp"] = "203.0.113.3" });
    }

    [Fact]
    public async Task Login_OfUnknownUser_AuditsARefusalNamingNoUser()
    {
        using var client = app.NewClient("203.0.113.4");
        var before = AuditRecords(1003).Count;

        await client.StatusOf(client.PostToken(("grant_type", "password"), ("username", SessionsClient.NewUsername()), ("password", "whatever")));

        var record = Assert.Single(AuditRecords(1003).Skip(before), r => r.GetStructuredStateValue("ClientIp") == "203.0.113.4");
        AssertFields(record, LogLevel.Warning, new() { ["UserId"] = null, ["Reason"] = "unknown_user", ["ClientIp"] = "203.0.113.4" });
    }

    [Fact]
    public async Task Login_FifthWrongPassword_AuditsTheLockout()
    {
        using var client = app.NewClient("203.0.113.5");
        var username = SessionsClient.NewUsername();
        var userId = await client.Register(username);

        for (var i = 0; i < 5; i++)
            await client.StatusOf(client.PostToken(("grant_type", "password"), ("username", username), ("password", "wrong password")));

        var record = Audit(1004, userId);
        // The collector keeps values as text, to the second.
        var until = DateTimeOffset.Parse(record.GetStructuredStateValue("Until")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(app.Time.GetUtcNow() + TimeSpan.FromMinutes(15) - until, TimeSpan.Zero, TimeSpan.FromSeconds(1));
        AssertFields(record, LogLevel.Warning, new() { ["UserId"] = userId, ["Until"] = record.GetStructuredStateValue("Until"), ["ClientIp"] = "203.0.113.5" });
    }

    [Fact]
    public async Task Refresh_SpentTokenAfterGrace_AuditsTheReuse()
    {
        using var client = app.NewClient("203.0.113.6");
        var (userId, _, tokens) = await client.NewUser(deviceId: "audit-phone");
        using (var rotated = await client.Refresh(tokens.RefreshToken))
            await client.StatusOf(client.Get("/me", Tokens.From(await SessionsClient.Json(rotated)).AccessToken));
        app.Time.Advance(TimeSpan.FromSeconds(11));

        await client.StatusOf(client.Refresh(tokens.RefreshToken));

        AssertFields(Audit(1005, userId), LogLevel.Warning, new()
        {
            ["UserId"] = userId, ["SessionId"] = tokens.SessionId, ["DeviceId"] = "audit-phone", ["ClientIp"] = "203.0.113.6",
        });
    }

    [Fact]
    public async Task Login_OnADeviceWithASession_AuditsTheReplacedSession()
    {
        using var client = app.NewClient("203.0.113.7");
        var (userId, username, first) = await client.NewUser(deviceId: "audit-tablet");

        await client.Login(username, deviceId: "audit-tablet");

        AssertFields(Audit(1006, userId), LogLevel.Information, new()
        {
            ["UserId"] = userId, ["SessionId"] = first.SessionId, ["DeviceId"] = "audit-tablet", ["Reason"] = "device_replaced", ["ClientIp"] = "203.0.113.7",
        });
    }

    [Fact]
    public async Task AdminRevokeDevice_AuditsTheDeviceAndTheAdmin()
    {
        using var client = app.NewClient("203.0.113.8");
        var (adminId, admin) = await Admin(client);
        var (userId, _, _) = await client.NewUser(deviceId: "audit-desktop");

        Assert.Equal(HttpStatusCode.NoContent, await client.StatusOf(client.Delete($"/admin/users/{userId}/devices/audit-desktop", admin)));

        AssertFields(Audit(1007, userId), LogLevel.Warning, new()
        {
            ["UserId"] = userId, ["DeviceId"] = "audit-desktop", ["Actor"] = adminId, ["ClientIp"] = "203.0.113.8",
        });
    }

    [Theory]
    [InlineData("local", 1008, LogLevel.Information)]
    [InlineData("others", 1014, LogLevel.Information)]
    [InlineData("global", 1015, LogLevel.Warning)]
    public async Task Logout_EachScope_AuditsItsOwnEvent(string scope, int eventId, LogLevel level)
    {
        using var client = app.NewClient("203.0.113.9");
        var (userId, username, tokens) = await client.NewUser(deviceId: "audit-watch");
        await client.Login(username, deviceId: "audit-other");

        Assert.Equal(HttpStatusCode.NoContent, await client.StatusOf(client.Post($"/auth/logout?scope={scope}", tokens.AccessToken)));

        var expected = new Dictionary<string, string?>
        {
            ["UserId"] = userId, ["SessionId"] = tokens.SessionId, ["DeviceId"] = "audit-watch", ["ClientIp"] = "203.0.113.9",
        };
        if (scope != "local")
            expected["EndedSessions"] = scope == "others" ? "1" : "2";
        AssertFields(Audit(eventId, userId), level, expected);
    }

    [Fact]
    public async Task AdminRevokeUser_AuditsTheUserAndTheAdmin()
    {
        using var client = app.NewClient("203.0.113.10");
        var (adminId, admin) = await Admin(client);
        var (userId, _, _) = await client.NewUser();

        Assert.Equal(HttpStatusCode.NoContent, await client.StatusOf(client.Post($"/admin/users/{userId}/revoke", admin)));

        AssertFields(Audit(1009, userId), LogLevel.Warning, new() { ["UserId"] = userId, ["Actor"] = adminId, ["ClientIp"] = "203.0.113.10" });
    }

    [Fact]
    public async Task OperatorRevokeUser_AuditsTheOperatorAsTheActor()
    {
        using var client = app.NewClient("203.0.113.12");
        var (userId, _, _) = await client.NewUser();

        var exitCode = await OperatorCli.RunAsync(["revoke-user", "--user-id", userId, $"--Cluster:GatewayPort={app.GatewayPort}"],
            TextWriter.Null, TextWriter.Null, TextReader.Null);

        Assert.Equal(0, exitCode);
        AssertFields(Audit(1009, userId), LogLevel.Warning, new()
        {
            ["UserId"] = userId, ["Actor"] = $"operator-cli:{Environment.UserName}@{Environment.MachineName}", ["ClientIp"] = null,
        });
    }

    [Fact]
    public async Task RevokeAccessToken_AuditsItsJtiSessionAndDevice()
    {
        using var client = app.NewClient("203.0.113.11");
        var (userId, _, tokens) = await client.NewUser(deviceId: "audit-tv");

        await client.StatusOf(client.Http.PostAsync("/oauth/revoke", new FormUrlEncodedContent([KeyValuePair.Create("token", tokens.AccessToken)])));

        AssertFields(Audit(1010, userId), LogLevel.Information, new()
        {
            ["UserId"] = userId, ["SessionId"] = tokens.SessionId, ["DeviceId"] = "audit-tv",
            ["Jti"] = Jwt.Payload(tokens.AccessToken)["jti"]!.GetValue<string>(), ["ClientIp"] = "203.0.113.11",
        });
    }

    [Fact]
    public async Task ChangePassword_AuditsTheSessionAndHowManyOthersEnded()
    {
        using var client = app.NewClient("203.0.113.12");
        var (userId, username, tokens) = await client.NewUser(deviceId: "audit-car");
        await client.Login(username, deviceId: "audit-fridge");

        Assert.Equal(HttpStatusCode.NoContent, await client.StatusOf(client.Post("/me/password", tokens.AccessToken,
            new { currentPassword = SessionsClient.Password, newPassword = "a brand new passphrase" })));

        AssertFields(Audit(1011, userId), LogLevel.Warning, new()
        {
            ["UserId"] = userId, ["SessionId"] = tokens.SessionId, ["DeviceId"] = "audit-car", ["EndedSessions"] = "1", ["ClientIp"] = "203.0.113.12",
        });
    }

    [Fact]
    public async Task AdminDisableAndEnable_AuditEachWithTheAdmin()
    {
        using var client = app.NewClient("203.0.113.13");
        var (adminId, admin) = await Admin(client);
        var (userId, _, _) = await client.NewUser();

        Assert.Equal(HttpStatusCode.NoContent, await client.StatusOf(client.Post($"/admin/users/{userId}/disable", admin)));
        Assert.Equal(HttpStatusCode.NoContent, await client.StatusOf(client.Post($"/admin/users/{userId}/enable", admin)));

        var expected = new Dictionary<string, string?> { ["UserId"] = userId, ["Actor"] = adminId, ["ClientIp"] = "203.0.113.13" };
        AssertFields(Audit(1012, userId), LogLevel.Warning, expected);
        AssertFields(Audit(1013, userId), LogLevel.Warning, expected);
    }

    [Fact]
    public async Task EndOwnSession_AuditsTheSessionEndedByItsUser()
    {
        using var client = app.NewClient("203.0.113.14");
        var (userId, username, tokens) = await client.NewUser(deviceId: "audit-one");
        var other = await client.Login(username, deviceId: "audit-two");

        Assert.Equal(HttpStatusCode.NoContent, await client.StatusOf(client.Delete($"/me/sessions/{other.SessionId}", tokens.AccessToken)));

        AssertFields(Audit(1016, userId), LogLevel.Information, new()
        {
            ["UserId"] = userId, ["SessionId"] = other.SessionId, ["DeviceId"] = "audit-two", ["ClientIp"] = "203.0.113.14",
        });
    }

    [Fact]
    public async Task AdminEndSession_AuditsTheSessionAndTheAdmin()
    {
        using var client = app.NewClient("203.0.113.15");
        var (adminId, admin) = await Admin(client);
        var (userId, _, tokens) = await client.NewUser(deviceId: "audit-kiosk");

        Assert.Equal(HttpStatusCode.NoContent, await client.StatusOf(client.Delete($"/admin/users/{userId}/sessions/{tokens.SessionId}", admin)));

        AssertFields(Audit(1017, userId), LogLevel.Warning, new()
        {
            ["UserId"] = userId, ["SessionId"] = tokens.SessionId, ["DeviceId"] = "audit-kiosk", ["Actor"] = adminId, ["ClientIp"] = "203.0.113.15",
        });
    }

    [Fact]
    public async Task RevokeRefreshToken_AuditsItsSession()
    {
        using var client = app.NewClient("203.0.113.16");
        var (userId, _, tokens) = await client.NewUser(deviceId: "audit-console");

        await client.StatusOf(client.Http.PostAsync("/oauth/revoke", new FormUrlEncodedContent([KeyValuePair.Create("token", tokens.RefreshToken)])));

        AssertFields(Audit(1018, userId), LogLevel.Information, new()
        {
            ["UserId"] = userId, ["SessionId"] = tokens.SessionId, ["DeviceId"] = "audit-console", ["ClientIp"] = "203.0.113.16",
        });
    }

    [Fact]
    public async Task StartUp_AuditsTheBootstrapAdminAndTheFirstSigningKey()
    {
        using var client = app.NewClient();
        var (adminId, _) = await Admin(client);

        AssertFields(Audit(1020, adminId), LogLevel.Warning, new() { ["UserId"] = adminId });
        var firstKey = Assert.Single(AuditRecords(3001));
        AssertFields(firstKey, LogLevel.Information, new() { ["Kid"] = firstKey.GetStructuredStateValue("Kid") });
        Assert.NotEmpty(firstKey.GetStructuredStateValue("Kid")!);
    }

    [Fact]
    public async Task RotateAndRetireKeys_AuditEachWithTheAdmin()
    {
        using var client = app.NewClient("203.0.113.17");
        var (adminId, admin) = await Admin(client);

        using var rotated = await client.Post("/admin/signing-keys/rotate", admin);
        var newKid = (await SessionsClient.Json(rotated)).GetProperty("kid").GetString()!;
        var oldKid = Jwt.Header(admin)["kid"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.NoContent, await client.StatusOf(client.Delete($"/admin/signing-keys/{oldKid}", admin)));

        AssertFields(Audit(3004, "Kid", newKid), LogLevel.Warning, new() { ["Kid"] = newKid, ["Actor"] = adminId, ["ClientIp"] = "203.0.113.17" });
        AssertFields(Audit(3002, "Kid", oldKid), LogLevel.Warning, new()
        {
            ["Kid"] = oldKid, ["ActiveKid"] = newKid, ["Actor"] = adminId, ["ClientIp"] = "203.0.113.17",
        });
    }

    private static async Task<(string AdminId, string AccessToken)> Admin(SessionsClient client)
    {
        var admin = await client.AdminLogin();
        using var me = await client.Get("/me", admin.AccessToken);
        return ((await SessionsClient.Json(me)).GetProperty("userId").GetString()!, admin.AccessToken);
    }

    private List<FakeLogRecord> AuditRecords(int eventId) =>
        [.. app.Logs.GetSnapshot().Where(r => r.Category == SessionsTelemetry.AuditCategory && r.Id.Id == eventId)];

    private FakeLogRecord Audit(int eventId, string userId) => Audit(eventId, "UserId", userId);

    private FakeLogRecord Audit(int eventId, string field, string value) =>
        Assert.Single(AuditRecords(eventId), r => r.GetStructuredStateValue(field) == value);

    private static void AssertFields(FakeLogRecord record, LogLevel level, Dictionary<string, string?> expected)
    {
        Assert.Equal(level, record.Level);
        var fields = record.StructuredState!.Where(f => f.Key != "{OriginalFormat}").ToDictionary(f => f.Key, f => f.Value);
        Assert.Equal(expected.OrderBy(f => f.Key), fields.OrderBy(f => f.Key));
    }
}
