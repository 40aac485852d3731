using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Sessions.Grains;

namespace Sessions.Tests.Grains;

[Collection(GrainClusterCollection.Name)]
public sealed class UserGrainLoginTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Login_RightPassword_IssuesAccessTokenThatVerifiesWithTheKeyRing()
    {
        var user = await fixture.NewUser();
        var pair = await ClusterFixture.Login(user, "phone");

        var keys = await fixture.Grains.GetGrain<IKeyRingGrain>(0).GetPublicKeys();
        var kid = new JsonWebToken(pair.AccessToken).Kid;
        var key = Assert.Single(keys.Keys, k => k.Kid == kid);
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(pair.AccessToken, new TokenValidationParameters
        {
            ValidIssuer = ClusterFixture.Issuer,
            ValidAudience = "sessions-api",
            IssuerSigningKey = PublicKey(key),
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            ValidTypes = ["at+jwt"],
            ValidateLifetime = false, // the session clock is fake; lifetime is asserted below
        });

        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.True(key.Active);
    }

    [Fact]
    public async Task Login_RightPassword_IssuesAccessTokenWithTheContractsHeaderAndClaims()
    {
        var user = await fixture.NewUser();
        var now = fixture.Time.GetUtcNow();

        var pair = await ClusterFixture.Login(user, "phone");

        var token = new JsonWebToken(pair.AccessToken);
        Assert.Equal("at+jwt", token.Typ);
        Assert.Equal("ES256", token.Alg);
        Assert.Equal(user.GetPrimaryKeyString(), token.Subject);
        Assert.Equal(pair.SessionId, token.GetClaim("sid").Value);
        Assert.Equal("phone", token.GetClaim("device_id").Value);
        Assert.True(Ids.IsValid(token.Id));
        Assert.Equal(now.ToUnixTimeSeconds(), new DateTimeOffset(token.IssuedAt).ToUnixTimeSeconds());
        Assert.Equal(token.IssuedAt + ClusterFixture.AccessTokenLifetime, token.ValidTo);
        Assert.False(token.TryGetClaim("role", out _));
    }

    [Fact]
    public async Task Login_RightPassword_ReturnsAPairForTheNewSession()
    {
        var user = await fixture.NewUser();

        var pair = await ClusterFixture.Login(user, "phone");

        Assert.Equal("phone", pair.DeviceId);
        Assert.Equal((int)ClusterFixture.AccessTokenLifetime.TotalSeconds, pair.ExpiresIn);
        Assert.True(RefreshTokenFormat.TryParse(pair.RefreshToken, out var userId, out var sessionId, out _));
        Assert.Equal(user.GetPrimaryKeyString(), userId);
        Assert.Equal(pair.SessionId, sessionId);
        Assert.Equal([pair.SessionId], (await user.GetSessions()).Select(s => s.SessionId));
    }

    [Fact]
    public async Task Login_AdminRole_AddsTheRoleClaim()
    {
        var user = await fixture.NewUser(["admin"]);

        var pair = await ClusterFixture.Login(user);

        Assert.Equal("admin", new JsonWebToken(pair.AccessToken).GetClaim("role").Value);
    }

    [Fact]
    public async Task Login_WrongPassword_ReturnsInvalidCredentials()
    {
        var user = await fixture.NewUser();

        var outcome = await user.Login(new LoginRequest("wrong password", null, null, null));

        Assert.Equal(TokenOutcome.Fail(TokenFailure.InvalidCredentials), outcome);
        Assert.Empty(await user.GetSessions());
    }

    [Fact]
    public async Task Login_AfterMaxWrongPasswords_RefusesTheRightPasswordUntilLockoutEnds()
    {
        var user = await fixture.NewUser();
        for (var i = 0; i < ClusterFixture.MaxFailures; i++)
            Assert.Equal(TokenFailure.InvalidCredentials, (await user.Login(new LoginRequest("wrong password", null, null, null))).Failure);

        Assert.Equal(TokenOutcome.Fail(TokenFailure.LockedOut), await user.Login(new LoginRequest(ClusterFixture.Password, null, null, null)));
        fixture.Time.Advance(ClusterFixture.LockoutDuration - TimeSpan.FromSeconds(1));
        Assert.Equal(TokenOutcome.Fail(TokenFailure.LockedOut), await user.Login(new LoginRequest(ClusterFixture.Password, null, null, null)));
        fixture.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TokenFailure.None, (await user.Login(new LoginRequest(ClusterFixture.Password, null, null, null))).Failure);
    }

    [Fact]
    public async Task Login_FewerThanMaxWrongPasswords_StillAcceptsTheRightOne()
    {
        var user = await fixture.NewUser();
        for (var i = 1; i < ClusterFixture.MaxFailures; i++)
            await user.Login(new LoginRequest("wrong password", null, null, null));

        var outcome = await user.Login(new LoginRequest(ClusterFixture.Password, null, null, null));

        Assert.Equal(TokenFailure.None, outcome.Failure);
    }

    [Fact]
    public async Task Login_DisabledAccount_ReturnsDisabled()
    {
        var user = await fixture.NewUser();
        await user.SetDisabled(true);

        var outcome = await user.Login(new LoginRequest(ClusterFixture.Password, null, null, null));

        Assert.Equal(TokenOutcome.Fail(TokenFailure.Disabled), outcome);
    }

    [Fact]
    public async Task Login_SameDevice_ReplacesThatDevicesSession()
    {
        var user = await fixture.NewUser();
        var old = await ClusterFixture.Login(user, "phone");
        var laptop = await ClusterFixture.Login(user, "laptop");

        var replacement = await ClusterFixture.Login(user, "phone");

        Assert.Equal(
            new[] { laptop.SessionId, replacement.SessionId }.Order(),
            (await user.GetSessions()).Select(s => s.SessionId).Order());
        Assert.Equal(AccessDenial.SessionEnded, (await user.CheckAccess(AccessTokens.CheckOf(old))).Denial);
    }

    [Fact]
    public async Task Login_AtCap_EvictsTheLeastRecentlyUsedSession()
    {
        var user = await fixture.NewUser();
        var sessions = new List<TokenPair>();
        for (var i = 0; i < ClusterFixture.MaxSessionsPerUser; i++)
        {
            sessions.Add(await ClusterFixture.Login(user, $"device-{i}"));
            fixture.Time.Advance(TimeSpan.FromMinutes(1));
        }
        Assert.True((await user.CheckAccess(AccessTokens.CheckOf(sessions[0]))).IsLive); // now device-1 is the least recent
        fixture.Time.Advance(TimeSpan.FromMinutes(1));

        var newest = await ClusterFixture.Login(user, "device-new");

        Assert.Equal(
            [sessions[0].SessionId, sessions[2].SessionId, newest.SessionId],
            (await user.GetSessions()).Select(s => s.SessionId));
        Assert.Equal(AccessDenial.SessionEnded, (await user.CheckAccess(AccessTokens.CheckOf(sessions[1]))).Denial);
    }

    private static ECDsaSecurityKey PublicKey(PublicSigningKey key)
    {
        var ecdsa = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Base64UrlEncoder.DecodeBytes(key.X), Y = Base64UrlEncoder.DecodeBytes(key.Y) },
        });
        return new ECDsaSecurityKey(ecdsa) { KeyId = key.Kid };
    }
}
