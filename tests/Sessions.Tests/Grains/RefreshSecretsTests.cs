using Sessions.Grains.Users;

namespace Sessions.Tests.Grains;

public sealed class RefreshSecretsTests
{
    private const string UserId = "0123456789abcdef0123456789abcdef";
    private const string SessionId = "fedcba9876543210fedcba9876543210";
    private static readonly byte[] Key = [.. Enumerable.Range(0, 32).Select(i => (byte)i)];

    [Fact]
    public void Next_KnownKeyAndSecret_IsTheDomainSeparatedHmac()
    {
        // HMAC-SHA256(key 00..1f, "sessions/refresh-secret/v1\0{user}\0{session}\0{spent}"), base64url, from Python's hmac module.
        Assert.Equal("Mp8C0rQ_sbwlu6x8r5qKVRVZFzwZ2OW9-nvsMB1Avls", RefreshSecrets.Next(Key, UserId, SessionId, "spent-secret-of-the-session"));
    }

    [Fact]
    public void Next_SameSecretInAnotherSession_IsAnotherSecret()
    {
        Assert.NotEqual(RefreshSecrets.Next(Key, UserId, SessionId, "spent-secret-of-the-session"),
            RefreshSecrets.Next(Key, UserId, UserId, "spent-secret-of-the-session"));
    }
}
