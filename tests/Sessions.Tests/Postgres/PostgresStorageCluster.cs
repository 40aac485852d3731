using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;
using Sessions.Grains;
using Sessions.Silo.Database;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Postgres;

/// <summary>One in-process silo whose <see cref="SessionsStorage.Name"/> storage is the Orleans ADO.NET provider on a fresh PostgreSQL database.</summary>
public sealed class PostgresStorageCluster(PostgresServer server) : IAsyncLifetime
{
    private InProcessTestCluster? _cluster;

    public string ConnectionString { get; private set; } = "";

    /// <summary>The provider exactly as grains get it: resolved by name from the silo's services.</summary>
    public IGrainStorage Storage { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        ConnectionString = await server.CreateDatabaseAsync();
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) => silo.AddPostgresGrainStorage(SessionsStorage.Name, ConnectionString));
        _cluster = builder.Build();
        await _cluster.DeployAsync();
        Storage = _cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(SessionsStorage.Name);
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.StopAllSilosAsync();
            await _cluster.DisposeAsync();
        }
    }
}
