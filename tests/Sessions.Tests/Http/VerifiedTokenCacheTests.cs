using System.Net;
using System.Text.Json;
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

    [Fact]
    public async Task CachedToken_WithAnotherTokensSignature_IsNotAHit()
    {
        using var client = app.NewClient();
        var (_, _, first) = await client.NewUser();
        var (_, _, second) = await client.NewUser();
        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Get("/me", first.AccessToken)));
        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Get("/me", second.AccessToken)));
        // The first token's header and payload, both cached, under the second's valid (and cached) signature.
        var forged = first.AccessToken[..first.AccessToken.LastIndexOf('.')] + second.AccessToken[second.AccessToken.LastIndexOf('.')..];

        Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOf(client.Get("/me", forged)));
    }

    [Fact]
    public async Task CachedToken_WithCharactersAppended_IsNotAHit()
    {
        using var client = app.NewClient();
        var (_, _, tokens) = await client.NewUser();
        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Get("/me", tokens.AccessToken)));

        Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOf(client.Get("/me", tokens.AccessToken + "AAAA")));
    }

    [Fact]
    public async Task CachedToken_OnItsSecondUse_AnswersForItsOwnUserAndSession()
    {
        using var client = app.NewClient();
        var (userId, _, tokens) = await client.NewUser();
        Assert.Equal(HttpStatusCode.OK, await client.StatusOf(client.Get("/me", tokens.AccessToken)));

        using var response = await client.Get("/me", tokens.AccessToken);

        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(userId, body.RootElement.GetProperty("userId").GetString());
        Assert.Equal(new JsonWebToken(tokens.AccessToken).GetPayloadValue<string>("sid"), body.RootElement.GetProperty("sessionId").GetString());
    }
}
