using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Sessions.Api.Auth;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Http;

/// <summary>Sessions:VerifiedTokenCacheSize=0: every request verifies the signature again, and nothing else changes.</summary>
public sealed class VerifiedTokenCacheSizeTests : IAsyncLifetime
{
    private readonly SessionsApp _app = new(null, new Dictionary<string, string?> { ["Sessions:VerifiedTokenCacheSize"] = "0" });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task CacheTurnedOff_RemembersNothing_AndStillAcceptsGoodAndRejectsTamperedTokens()
    {
        using var client = _app.NewClient();
        var (_, _, tokens) = await client.NewUser();
        var index = tokens.AccessToken.Length - 10;
        var altered = tokens.AccessToken[..index] + (tokens.AccessToken[index] == 'A' ? 'B' : 'A') + tokens.AccessToken[(index + 1)..];

        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Get("/me", tokens.AccessToken)));
        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Get("/me", tokens.AccessToken)));
        Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOf(client.Get("/me", altered)));
        var cache = _app.Services.GetRequiredService<VerifiedTokenCache>();
        Assert.False(cache.Remembers(tokens.AccessToken));
        Assert.Equal(0, cache.Count);
    }
}
