using System.Net;
using Sessions.Tests.Infrastructure;
using Sessions.Tests.Security;

namespace Sessions.Tests.Observability;

/// <summary>
/// Everything the service logs at every level, from every category (ASP.NET Core, Orleans, ours), through a whole
/// life of an account: no password, access token, refresh token or refresh secret appears anywhere in it.
/// </summary>
public sealed class LogSecrecyTests
{
    [Fact]
    public async Task FullFlow_AtTraceLevel_LogsNoPasswordTokenOrRefreshSecret()
    {
        await using var app = new ObservedSessionsApp(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
            ["Logging:LogLevel:Orleans"] = "Trace",
            ["Logging:LogLevel:Sessions.Audit"] = "Trace",
        });
        using var client = app.NewClient("198.51.100.1");
        var password = "first-" + Guid.NewGuid().ToString("N");
        var newPassword = "second-" + Guid.NewGuid().ToString("N");
        var wrongPassword = "wrong-" + Guid.NewGuid().ToString("N");
        var secrets = new List<string> { password, newPassword, wrongPassword, SessionsApp.AdminPassword };
        Tokens Keep(Tokens tokens)
        {
            secrets.AddRange([tokens.AccessToken, Jwt.Signature(tokens.AccessToken), tokens.RefreshToken, tokens.RefreshToken.Split('.')[2]]);
            return tokens;
        }

        var username = SessionsClient.NewUsername();
        var userId = await client.Register(username, password);
        Assert.Equal(HttpStatusCode.BadRequest, await client.StatusOf(client.PostToken(("grant_type", "password"), ("username", username), ("password", wrongPassword))));
        var first = Keep(await client.Login(username, password, deviceId: "laptop"));
        using var refreshed = await client.Refresh(first.RefreshToken);
        var rotated = Keep(Tokens.From(await SessionsClient.Json(refreshed)));
        // Used, so presenting its predecessor after the grace window is theft, not a retry of a lost answer.
        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Get("/me", rotated.AccessToken)));
        app.Time.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal(HttpStatusCode.BadRequest, await client.StatusOf(client.Refresh(first.RefreshToken)));
        var second = Keep(await client.Login(username, password, deviceId: "phone"));
        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Get("/me", second.AccessToken)));
        Assert.Equal(HttpStatusCode.NoContent, await client.StatusOf(client.Post("/me/password", second.AccessToken, new { currentPassword = password, newPassword })));
        var third = Keep(await client.Login(username, newPassword, deviceId: "tablet"));
        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Http.PostAsync("/oauth/revoke",
            new FormUrlEncodedContent([KeyValuePair.Create("token", second.AccessToken)]))));
        Assert.Equal(HttpStatusCode.NoContent, await client.StatusOf(client.Post("/auth/logout", third.AccessToken)));
        Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOf(client.Get("/me", third.AccessToken)));
        var admin = Keep(await client.AdminLogin());
        Assert.Equal(HttpStatusCode.NoContent, await client.StatusOf(client.Post($"/admin/users/{userId}/revoke", admin.AccessToken)));
        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Post("/admin/signing-keys/rotate", admin.AccessToken)));

        var records = app.Logs.GetSnapshot();
        Assert.Contains(records, r => r.Level == Microsoft.Extensions.Logging.LogLevel.Trace);
        Assert.Contains(records, r => r.Id.Id == 1005 && r.GetStructuredStateValue("UserId") == userId);
        foreach (var record in records)
        {
            var texts = new List<string?> { record.Message, record.Exception?.ToString() };
            texts.AddRange(record.StructuredState?.Select(f => f.Value) ?? []);
            texts.AddRange(record.Scopes.Select(s => s?.ToString()));
            foreach (var text in texts.OfType<string>())
            {
                foreach (var secret in secrets)
                    Assert.False(text.Contains(secret, StringComparison.Ordinal), $"{record.Category}[{record.Id}] logged a secret: {record.Message}");
            }
        }
    }
}
