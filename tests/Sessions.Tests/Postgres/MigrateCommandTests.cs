using Microsoft.Extensions.Configuration;
using Npgsql;
using Sessions.Silo.Database;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Postgres;

[Collection(PostgresCollection.Name)]
public sealed class MigrateCommandTests(PostgresServer server)
{
    [Fact]
    public async Task Run_WithConnectionString_MigratesAndReturnsZero()
    {
        var connectionString = await server.CreateEmptyDatabaseAsync();

        var exitCode = await MigrateCommand.RunAsync([MigrateCommand.Verb], Configuration(connectionString));

        Assert.Equal(0, exitCode);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM OrleansQuery", connection);
        Assert.Equal(12L, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Run_WithoutConnectionString_ReturnsTwo()
    {
        var exitCode = await MigrateCommand.RunAsync([MigrateCommand.Verb], Configuration(null));

        Assert.Equal(2, exitCode);
    }

    private static IConfiguration Configuration(string? connectionString) => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Sessions"] = connectionString })
        .Build();
}
