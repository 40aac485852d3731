using Sessions.Silo.Database;

namespace Sessions.Tests.Postgres;

public sealed class ThreadPoolFloorTests
{
    [Theory]
    // Npgsql's default pool holds up to 100 connections, each of which can be in one blocking cancel at once.
    [InlineData("Host=pg;Database=sessions", 2, 104)]
    [InlineData("Host=pg;Database=sessions;Maximum Pool Size=20", 2, 24)]
    [InlineData("Host=pg;Database=sessions;Maximum Pool Size=20", 8, 36)]
    public void For_IsThePoolsMaximumPlusTwoPerCore(string connectionString, int processors, int expected) =>
        Assert.Equal(expected, ThreadPoolFloor.For(connectionString, processors));
}
