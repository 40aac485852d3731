using Microsoft.Extensions.Options;
using Sessions.Api.Auth;
using Sessions.Grains;

namespace Sessions.Tests.Http;

public sealed class SigningKeyStoreTests
{
    [Fact]
    public void IsFresh_BeforeTheFirstSync_IsFalse()
    {
        // A host that has never heard from the key ring must re-read before verifying anything, not trust an empty set.
        var store = new SigningKeyStore(grains: null!, Options.Create(new SessionsOptions()));

        Assert.False(store.IsFresh);
        Assert.Empty(store.Resolve("any"));
    }
}
