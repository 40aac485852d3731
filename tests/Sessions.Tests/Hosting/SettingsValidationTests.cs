using Sessions.Api;
using Sessions.Grains;

namespace Sessions.Tests.Hosting;

/// <summary>Each host's settings type names the key of every value it refuses.</summary>
public sealed class SettingsValidationTests
{
    [Fact]
    public void Validate_Defaults_AreAccepted()
    {
        Assert.Empty(new SessionsTokenOptions().Validate());
        Assert.Empty(new SessionsSiloOptions().Validate());
        Assert.Empty(new SessionsApiOptions().Validate());
    }

    [Fact]
    public void Validate_TokenSettingsOutOfRange_NamesEach()
    {
        var options = new SessionsTokenOptions { Issuer = "not a uri", Audience = " ", AccessTokenLifetime = TimeSpan.FromSeconds(29) };

        Assert.Equal([
            "Sessions:Issuer must be an absolute URI.",
            "Sessions:Audience must not be empty.",
            "Sessions:AccessTokenLifetime must be between 30 seconds and 1 day.",
        ], options.Validate());
    }

    [Fact]
    public void Validate_SiloSettingsOutOfRange_NamesEach()
    {
        var options = new SessionsSiloOptions
        {
            AbsoluteLifetime = TimeSpan.FromMinutes(10),
            Lockout = { MaxFailures = 0 },
            Storage = { Timeout = TimeSpan.FromSeconds(26) },
            BootstrapAdmin = { Username = "a/b" },
            DataDirectory = "",
        };

        Assert.Equal([
            "Sessions:AbsoluteLifetime must not be shorter than Sessions:IdleTimeout.",
            "Sessions:Lockout:MaxFailures must be at least 1.",
            "Sessions:Storage:Timeout must be between 100 ms and 25 s (a grain call gives up after 30 s).",
            "Sessions:BootstrapAdmin:Username is not a valid username.",
            "Sessions:DataDirectory must not be empty.",
        ], options.Validate());
    }

    [Fact]
    public void Validate_ApiSettingsOutOfRange_NamesEach()
    {
        var options = new SessionsApiOptions { RateLimit = { TokenRequestsPerMinute = 0 }, VerifiedTokenCacheSize = 1_000_001 };

        Assert.Equal([
            "Sessions:RateLimit:TokenRequestsPerMinute must be at least 1.",
            "Sessions:VerifiedTokenCacheSize must be between 0 (off) and 1000000.",
        ], options.Validate());
    }
}
