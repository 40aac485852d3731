using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Sessions.Api.Auth;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Http;

/// <summary>A token accepted once is remembered as verified; each of these makes sure the memory never outlives the reason to trust it.</summary>
[Collection(AppCollection.Name)]
public sealed class VerifiedTokenCacheTests(SessionsApp app)
{
    [Fact]
    public async Task CachedToken_AfterItsKeyIsRetired_IsRejected()
    {
        using var client = app.NewClient();
        var (_, _, tokens) = await client.NewUser();
        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Get("/me", tokens.AccessToken)));
        var admin = await client.AdminLogin();

        Assert.Equal(HttpStatusCode.NoContent, await client.StatusOf(client.Delete($"/admin/signing-keys/{new JsonWebToken(tokens.AccessToken).Kid}", admin.AccessToken)));

        using var response = await client.Get("/me", tokens.AccessToken);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("signing key", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task CachedToken_PastItsExpiryAndSkew_IsRejected()
    {
        using var client = app.NewClient();
        var (_, _, tokens) = await client.NewUser();
        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Get("/me", tokens.AccessToken)));

        app.Time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(31));

        Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOf(client.Get("/me", tokens.AccessToken)));
    }

    [Fact]
    public async Task CachedToken_WithinSkewAfterExpiry_IsStillAccepted()
    {
        using var client = app.NewClient();
        var (_, _, tokens) = await client.NewUser();
        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Get("/me", tokens.AccessToken)));

        app.Time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(29));

        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Get("/me", tokens.AccessToken)));
    }

    [Fact]
    public async Task CachedToken_OfARevokedSession_IsRejectedOnTheNextRequest()
    {
        using var client = app.NewClient();
        var admin = await client.AdminLogin();
        var (userId, _, tokens) = await client.NewUser();
        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Get("/me", tokens.AccessToken)));

        Assert.Equal(HttpStatusCode.NoContent, await client.StatusOf(client.Post($"/admin/users/{userId}/revoke", admin.AccessToken)));

        Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOf(client.Get("/me", tokens.AccessToken)));
    }

    [Fact]
    public async Task CachedToken_WithOneCharacterChanged_IsNotAHit()
    {
        using var client = app.NewClient();
        var (_, _, tokens) = await client.NewUser();
        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Get("/me", tokens.AccessToken)));
        // A character inside the signature: the last one of a base64url run may only carry padding bits.
        var index = tokens.AccessToken.Length - 10;
        var altered = tokens.AccessToken[..index] + (tokens.AccessToken[index] == 'A' ? 'B' : 'A') + tokens.AccessToken[(index + 1)..];

        Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOf(client.Get("/me", altered)));
    }

    [Fact]
    public async Task AcceptedToken_IsRemembered()
    {
        using var client = app.NewClient();
        var cache = app.Services.GetRequiredService<VerifiedTokenCache>();
        var (_, _, tokens) = await client.NewUser();
        Assert.False(cache.Remembers(tokens.AccessToken));

        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Get("/me", tokens.AccessToken)));

        Assert.True(cache.Remembers(tokens.AccessToken));
    }
}
