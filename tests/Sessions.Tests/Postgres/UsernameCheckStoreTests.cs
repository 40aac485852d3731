using Microsoft.Extensions.Configuration;
using Orleans.Storage;
using Sessions.Grains.Users;
using Sessions.Silo.Operator;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Postgres;

/// <summary>check-usernames finds the username index in PostgreSQL where the Orleans ADO.NET provider stores it.</summary>
[Collection(PostgresCollection.Name)]
public sealed class UsernameCheckStoreTests(PostgresStorageCluster cluster) : IClassFixture<PostgresStorageCluster>
{
    [Fact]
    public async Task ReadStoredKeys_UsernameWrittenByTheProvider_IsListedByItsKey()
    {
        var key = "\uFF41\uFF4C\uFF49\uFF43\uFF45-" + Guid.NewGuid().ToString("N")[..8]; // an old-style full-width key
        await cluster.Storage.WriteStateAsync("username", GrainId.Create("username", key), new GrainState<UsernameState>(new UsernameState { UserId = "u1" }));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Cluster:Provider"] = "Postgres",
            ["ConnectionStrings:Sessions"] = cluster.ConnectionString,
        }).Build();

        var keys = await UsernameCheck.ReadStoredKeysAsync(configuration, CancellationToken.None);

        Assert.Contains(key, keys);
    }
}
