using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Storage;
using Sessions.Grains.Keys;
using Sessions.Grains.Storage;
using Sessions.Grains.Telemetry;
using Sessions.Grains.Users;

namespace Sessions.Grains;

public static class SessionsSiloBuilderExtensions
{
    /// <summary>The grains' services and options. The host chooses the storage named <see cref="SessionsStorage.Name"/>.</summary>
    public static ISiloBuilder AddSessionsGrains(this ISiloBuilder builder)
    {
        builder.Services.AddSessionsOptions();
        builder.Services.TryAddKeyedSingleton(SessionsClock.Key, TimeProvider.System);
        builder.Services.AddSingleton<SigningKeyFactory>();
        builder.Services.AddSingleton<AccessTokenIssuer>();
        builder.Services.AddSingleton<RefreshSecretKey>();
        builder.Services.AddMetrics();
        builder.Services.TryAddSingleton<GrainMetrics>();
        builder.Services.TryAddSingleton<AuditLog>();
        builder.Services.AddSingleton<Passwords>();
        builder.AddStartupTask<BootstrapAdminTask>();
        builder.AddIncomingGrainCallFilter<StorageFailureFilter>();
        return builder;
    }

    /// <summary>Grain storage in a SQLite file, serialised with the version-tolerant Orleans serializer, behind the circuit breaker.</summary>
    public static ISiloBuilder AddSqliteGrainStorage(this ISiloBuilder builder, string name, string databasePath)
    {
        builder.Services.AddGrainStorage(name, (services, _) =>
            new SqliteGrainStorage(databasePath, new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>())));
        return builder.AddGrainStorageCircuitBreaker(name);
    }

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
        services.AddSessionsOptions();
        services.TryAddKeyedSingleton(SessionsStorage.ClockKey, TimeProvider.System);
        // Replaced, not added beside: the provider's own lifecycle registration resolves the name, and so reaches the decorator.
        services.Remove(inner);
        services.AddKeyedSingleton<IGrainStorage>(name, (provider, key) => new CircuitBreakingGrainStorage(
            (IGrainStorage)innerFactory(provider, key), name, provider.GetRequiredService<IOptions<SessionsOptions>>().Value.Storage,
            provider.GetRequiredService<DeepCopier>(), provider.GetRequiredKeyedService<TimeProvider>(SessionsStorage.ClockKey),
            provider.GetRequiredService<ILogger<CircuitBreakingGrainStorage>>()));
        return builder;
    }
}
