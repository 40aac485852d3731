using Microsoft.Extensions.Options;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Hosting;

/// <summary>A bad or misspelt setting stops the silo host before it serves anything, with the key named.</summary>
public sealed class SettingsStartupTests
{
    private static Exception StartupFailure(string key, string value)
    {
        using var app = new SessionsApp(null, new Dictionary<string, string?> { [key] = value });
        return Assert.ThrowsAny<Exception>(() => app.CreateClient());
    }

    [Theory]
    [InlineData("Sessions:IdelTimeout")]
    [InlineData("Sessions:Lockout:MaxFailure")]
    [InlineData("Cluster:SiloPrt")]
    public void Startup_MisspeltKey_FailsNamingIt(string key)
    {
        var failure = Assert.IsType<InvalidOperationException>(StartupFailure(key, "1"));

        Assert.Equal($"{key} is not a setting of Sessions (misspelt? README, \"Configuration\", lists them).", failure.Message);
    }

    [Fact]
    public void Startup_ServeApiNotABoolean_FailsNamingIt()
    {
        var failure = Assert.IsType<InvalidOperationException>(StartupFailure("Sessions:ServeApi", "sometimes"));

        Assert.StartsWith("Failed to convert configuration value 'sometimes' at 'Sessions:ServeApi' to type 'System.Boolean'.", failure.Message);
    }

    [Theory]
    [InlineData("Cluster:Provider", "Mongo", "Cluster:Provider must be Localhost or Postgres, not 'Mongo'.")]
    [InlineData("Cluster:SiloPort", "70000", "Cluster:SiloPort must be a port number (1-65535).")]
    [InlineData("Sessions:IdleTimeout", "00:00:10", "Sessions:IdleTimeout must be at least 30 seconds.")]
    [InlineData("Sessions:VerifiedTokenCacheSize", "-1", "Sessions:VerifiedTokenCacheSize must be between 0 (off) and 1000000.")]
    [InlineData("Sessions:KeyRingLease", "00:00:21", "Sessions:KeyRingLease must be between 100 ms and 20 s (a key change may wait out one lease inside a 30 s call).")]
    [InlineData("Sessions:Issuer", "not a uri", "Sessions:Issuer must be an absolute URI.")]
    public void Startup_ValueOutOfRange_FailsNamingIt(string key, string value, string expected)
    {
        var failure = Assert.IsType<OptionsValidationException>(StartupFailure(key, value));

        Assert.Equal([expected], failure.Failures);
    }
}
