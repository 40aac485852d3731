using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Storage;
using Sessions.Grains.Storage;

namespace Sessions.Grains;

/// <summary>
/// The two grain storages a host chooses between, SQLite (the single-process default) and PostgreSQL (a cluster),
/// both serialised with the version-tolerant Orleans serializer and both behind the same circuit breaker.
/// </summary>
public static class StorageSiloBuilderExtensions
{
    /// <summary>Grain storage in a SQLite file, behind the circuit breaker.</summary>
    public static ISiloBuilder AddSqliteGrainStorage(this ISiloBuilder builder, string name, string databasePath)
    {
        builder.Services.AddGrainStorage(name, (services, _) =>
            new SqliteGrainStorage(databasePath, new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>())));
        return builder.AddGrainStorageCircuitBreaker(name);
    }

    /// <summary>
    /// Grain storage in a PostgreSQL database migrated by the silo's <c>migrate</c> verb, rather than with the
    /// provider's default JSON, and behind the circuit breaker: while the database is down, grain calls that must
    /// store fail at once instead of waiting out the driver's timeouts.
    /// </summary>
    public static ISiloBuilder AddPostgresGrainStorage(this ISiloBuilder builder, string name, string connectionString) =>
        builder.AddAdoNetGrainStorage(name, options => options.Configure<Serializer>((storage, serializer) =>
        {
            storage.Invariant = ClusterSettings.Invariant;
            storage.ConnectionString = connectionString;
            storage.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
        }))
        .AddGrainStorageCircuitBreaker(name);

    /// <summary>
    /// Puts the grain storage registered as <paramref name="name"/> behind a timeout and a circuit breaker
    /// (<c>Sessions:Storage</c>), so calls fail fast while its database is known to be down. Call it after adding the storage.
    /// </summary>
    public static ISiloBuilder AddGrainStorageCircuitBreaker(this ISiloBuilder builder, string name)
    {
        var services = builder.Services;
        var inner = services.LastOrDefault(s => s.ServiceType == typeof(IGrainStorage) && s.IsKeyedService && Equals(s.ServiceKey, name))
            ?? throw new InvalidOperationException($"No grain storage named '{name}' to put behind a circuit breaker.");
        var innerFactory = inner.KeyedImplementationFactory
            ?? throw new InvalidOperationException($"Grain storage '{name}' is not registered through a factory.");
        services.AddSettings<SessionsSiloOptions>(SessionsSiloOptions.SectionName);
        services.TryAddKeyedSingleton(SessionsStorage.ClockKey, TimeProvider.System);
        // Replaced, not added beside: the provider's own lifecycle registration resolves the name, and so reaches the decorator.
        services.Remove(inner);
        services.AddKeyedSingleton<IGrainStorage>(name, (provider, key) => new CircuitBreakingGrainStorage(
            (IGrainStorage)innerFactory(provider, key), name, provider.GetRequiredService<IOptions<SessionsSiloOptions>>().Value.Storage,
            provider.GetRequiredService<DeepCopier>(), provider.GetRequiredKeyedService<TimeProvider>(SessionsStorage.ClockKey),
            provider.GetRequiredService<ILogger<CircuitBreakingGrainStorage>>()));
        return builder;
    }
}
