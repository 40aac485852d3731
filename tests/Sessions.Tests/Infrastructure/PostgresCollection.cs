namespace Sessions.Tests.Infrastructure;

/// <summary>PostgreSQL tests share one server; each test gets its own database from <see cref="PostgresServer.CreateDatabaseAsync"/>.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}
