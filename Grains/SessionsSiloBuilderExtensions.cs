using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
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
        builder.Services.AddTokenOptions();
        builder.Services.AddSettings<SessionsSiloOptions>(SessionsSiloOptions.SectionName);
        builder.Services.TryAddKeyedSingleton(SessionsClock.Key, TimeProvider.System);
        builder.Services.AddSingleton<SigningKeyFactory>();
        builder.Services.AddSingleton<AccessTokenIssuer>();
        builder.Services.AddSingleton<RefreshSecretKey>();
        builder.Services.AddMetrics();
        builder.Services.TryAddSingleton<GrainMetrics>();
        builder.Services.TryAddSingleton<AuditLog>();
        builder.Services.AddSingleton<PasswordHashing>();
        builder.Services.AddSingleton<UserGrainServices>();
        builder.AddStartupTask<BootstrapAdminTask>();
        builder.AddIncomingGrainCallFilter<StorageFailureFilter>();
        return builder;
    }
}
