using Npgsql;
using Sessions.Silo.Database;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Postgres;

[Collection(PostgresCollection.Name)]
public sealed class DatabaseMigratorTests(PostgresServer server)
{
    // What the Orleans 10.4.2 ADO.NET clustering and grain storage providers read from OrleansQuery.
    private static readonly string[] ProviderQueryKeys =
    [
        "GatewaysQueryKey", "MembershipReadRowKey", "MembershipReadAllKey", "InsertMembershipVersionKey",
        "UpdateIAmAlivetimeKey", "InsertMembershipKey", "UpdateMembershipKey", "DeleteMembershipTableEntriesKey",
        "CleanupDefunctSiloEntriesKey", "ReadFromStorageKey", "WriteToStorageKey", "ClearStorageKey",
    ];

    [Fact]
    public async Task Migrate_EmptyDatabase_InstallsEveryProviderQuery()
    {
        var connectionString = await server.CreateEmptyDatabaseAsync();

        await DatabaseMigrator.MigrateAsync(connectionString, CancellationToken.None);

        var keys = await QueryKeyCounts(connectionString);
        Assert.Equal(ProviderQueryKeys.Order(), keys.Keys.Order());
    }

    [Fact]
    public async Task Migrate_Twice_KeepsOneCopyOfEachQuery()
    {
        var connectionString = await server.CreateEmptyDatabaseAsync();

        await DatabaseMigrator.MigrateAsync(connectionString, CancellationToken.None);
        await DatabaseMigrator.MigrateAsync(connectionString, CancellationToken.None);

        var keys = await QueryKeyCounts(connectionString);
        Assert.Equal(ProviderQueryKeys.Length, keys.Count);
        Assert.All(keys.Values, count => Assert.Equal(1, count));
    }

    [Fact]
    public async Task Migrate_FromTwoTasksAtOnce_BothSucceed()
    {
        var connectionString = await server.CreateEmptyDatabaseAsync();

        await Task.WhenAll(
            Task.Run(() => DatabaseMigrator.MigrateAsync(connectionString, CancellationToken.None)),
            Task.Run(() => DatabaseMigrator.MigrateAsync(connectionString, CancellationToken.None)));

        var keys = await QueryKeyCounts(connectionString);
        Assert.Equal(ProviderQueryKeys.Length, keys.Count);
        Assert.All(keys.Values, count => Assert.Equal(1, count));
    }

    [Fact]
    public async Task Migrate_FromThreeTasksAtOnce_ProvisionsExactlyOneDataProtectionKey()
    {
        var connectionString = await server.CreateEmptyDatabaseAsync();

        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => DatabaseMigrator.MigrateAsync(connectionString, CancellationToken.None))));

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM sessions_data_protection_keys", connection);
        Assert.Equal(1L, await count.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Migrate_ChangedQueryText_IsRestored()
    {
        var connectionString = await server.CreateDatabaseAsync();
        await Execute(connectionString, "UPDATE OrleansQuery SET QueryText = 'SELECT 1' WHERE QueryKey = 'ReadFromStorageKey'");

        await DatabaseMigrator.MigrateAsync(connectionString, CancellationToken.None);

        var text = await Scalar<string>(connectionString, "SELECT QueryText FROM OrleansQuery WHERE QueryKey = 'ReadFromStorageKey'");
        Assert.Contains("orleans_grain_state", text);
    }

    [Fact]
    public async Task Migrate_CreatesTheSharedDataProtectionKeyTable()
    {
        var connectionString = await server.CreateDatabaseAsync();

        await Execute(connectionString, "INSERT INTO sessions_data_protection_keys (friendly_name, xml) VALUES ('key-1', '<key/>')");

        var createdAt = await Scalar<DateTime>(connectionString, "SELECT created_at FROM sessions_data_protection_keys WHERE friendly_name = 'key-1'");
        Assert.Equal(DateTimeKind.Utc, createdAt.Kind);
    }

    private static async Task<Dictionary<string, long>> QueryKeyCounts(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT QueryKey, count(*) FROM OrleansQuery GROUP BY QueryKey", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var counts = new Dictionary<string, long>();
        while (await reader.ReadAsync())
            counts.Add(reader.GetString(0), reader.GetInt64(1));
        return counts;
    }

    private static async Task Execute(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> Scalar<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
