using System.Net;
using System.Net.Http.Json;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Http;

public sealed class RateLimitTests : IAsyncLifetime
{
    private readonly SessionsApp _app = new(null, new Dictionary<string, string?> { ["Sessions:RateLimit:TokenRequestsPerMinute"] = "3" });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task TokenAndRegister_PastThePerIpLimit_Return429WithRetryAfter()
    {
        using var client = _app.NewClient();
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.BadRequest, await client.StatusOf(client.PostToken(("grant_type", "password"), ("username", "nobody"), ("password", "whatever1"))));

        using var limited = await client.PostToken(("grant_type", "password"), ("username", "nobody"), ("password", "whatever1"));
        using var register = await client.Http.PostAsJsonAsync("/auth/register", new { username = SessionsClient.NewUsername(), password = SessionsClient.Password });

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter!.Delta > TimeSpan.Zero);
        Assert.Equal(HttpStatusCode.TooManyRequests, register.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Get("/.well-known/jwks.json", accessToken: null)));
    }
}
