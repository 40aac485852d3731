using Sessions.Grains;

namespace Sessions.Tests.Grains;

/// <summary>Records print every property by default; the ones that carry secrets must not, wherever they end up logged.</summary>
public sealed class SecretRedactionTests
{
    [Fact]
    public void ToString_OfRecordsCarryingSecrets_OmitsTheSecrets()
    {
        const string secret = "s3cret-value-never-printed";

        Assert.DoesNotContain(secret, new LoginRequest(secret, "device", "name", "127.0.0.1").ToString());
        Assert.DoesNotContain(secret, new NewAccount("alice", secret, ["admin"]).ToString());
        Assert.DoesNotContain(secret, new TokenPair(secret, 300, secret, "sid", "device").ToString());
        Assert.DoesNotContain(secret, TokenOutcome.Success(new TokenPair(secret, 300, secret, "sid", "device")).ToString());
        Assert.DoesNotContain(secret, new ProtectedSigningKey("kid", secret).ToString());
    }
}
