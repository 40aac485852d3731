using Npgsql;
using Sessions.Silo.Operator;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Postgres;

[Collection(PostgresCollection.Name)]
public sealed class MigrateCommandTests(PostgresServer server)
{
    [Fact]
    public async Task Migrate_WithConnectionString_MigratesAndReturnsZero()
    {
        var connectionString = await server.CreateEmptyDatabaseAsync();
        using var output = new StringWriter();

        var exitCode = await OperatorCli.RunAsync(["migrate", $"--ConnectionStrings:Sessions={connectionString}"], output, TextWriter.Null, TextReader.Null);

        Assert.Equal(0, exitCode);
        Assert.Equal("migrate: the Sessions schema is up to date.", output.ToString().Trim());
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM OrleansQuery", connection);
        Assert.Equal(12L, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Migrate_WithoutConnectionString_ReturnsTwo()
    {
        using var error = new StringWriter();

        var exitCode = await OperatorCli.RunAsync(["migrate"], TextWriter.Null, error, TextReader.Null);

        Assert.Equal(2, exitCode);
        Assert.Contains("ConnectionStrings:Sessions is not set", error.ToString());
    }
}
