using Npgsql;

namespace Sessions.Silo.Database;

/// <summary>
/// Brings a PostgreSQL database up to the schema this build expects: the Orleans membership and grain-state tables,
/// the queries the Orleans ADO.NET providers run, and the shared Data Protection key table.
/// </summary>
public static class DatabaseMigrator
{
    // Any constant works as long as every silo uses the same one; it serialises concurrent migrations.
    private const long MigrationLockKey = 0x5E55_1045_D8A7_A5E5;

    private const string SchemaResource = "Sessions.Silo.Database.schema.sql";

    public static async Task MigrateAsync(string connectionString, CancellationToken ct, IConfiguration? configuration = null)
    {
        var schema = await ReadSchemaAsync(ct);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);

        // CREATE TABLE IF NOT EXISTS is not safe against a concurrent CREATE of the same table, so migrations take
        // turns; the lock is released with the transaction, whichever way it ends.
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction))
        {
            lockCommand.Parameters.AddWithValue("key", MigrationLockKey);
            await lockCommand.ExecuteNonQueryAsync(ct);
        }

        await using (var schemaCommand = new NpgsqlCommand(schema, connection, transaction))
            await schemaCommand.ExecuteNonQueryAsync(ct);

        await transaction.CommitAsync(ct);

        // After the commit: the key table must be visible to the connections the key manager opens.
        await DataProtectionKeys.EnsureUsableKeyAsync(connectionString, configuration, ct);
    }

    private static async Task<string> ReadSchemaAsync(CancellationToken ct)
    {
        await using var stream = typeof(DatabaseMigrator).Assembly.GetManifestResourceStream(SchemaResource)
            ?? throw new InvalidOperationException($"The embedded resource {SchemaResource} is missing from the build.");
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync(ct);
    }
}
