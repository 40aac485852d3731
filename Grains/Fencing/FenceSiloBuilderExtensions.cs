using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Sessions.Grains.Telemetry;

namespace Sessions.Grains.Fencing;

public static class FenceSiloBuilderExtensions
{
    /// <summary>
    /// The fence of a clustered silo and its takeover guard (see <see cref="FenceTiming"/>): the short directory lease,
    /// the monitor that reads the membership table, the guard and its marker poller, the fatal-error handler that writes
    /// this silo's stopped marker, and the filter that refuses Sessions grain calls while fenced or guarded. Reads
    /// <c>Cluster:Fence</c> and <c>Cluster:Directory</c>; stopped markers need an <see cref="IStoppedSiloMarkers"/>
    /// (without one every dead silo is waited for the whole lease). A single-process silo has no peers and never calls this.
    /// </summary>
    public static ISiloBuilder AddSessionsFence(this ISiloBuilder builder, IConfiguration configuration)
    {
        var directory = configuration.GetSection("Cluster:Directory");
        builder.Services.Configure<GrainDirectoryOptions>(directory);
        // Orleans' own dead-silo lease no longer has to cover an isolated silo's fence, the guard does: unless the
        // operator chose a lease, make it just long enough for the guard to learn of a death first.
        if (directory["RangeLeaseDuration"] is null)
            builder.Services.AddOptions<GrainDirectoryOptions>().PostConfigure<IOptions<ClusterMembershipOptions>>((options, membership) =>
            {
                // Bound here rather than through IOptions<FenceOptions>, whose validation reads these very options.
                var fence = configuration.GetSection(FenceOptions.SectionName).Get<FenceOptions>() ?? new FenceOptions();
                var (duration, _, failure) = FenceTiming.Resolve(fence.Duration, fence.DeadSiloLease, membership.Value,
                    new GrainDirectoryOptions { RangeLeaseDuration = TimeSpan.MaxValue });
                if (failure is null)
                    options.RangeLeaseDuration = FenceTiming.RangeLeaseDurationFor(membership.Value, duration);
            });
        builder.Services.AddOptions<FenceOptions>().BindConfiguration(FenceOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<FenceOptions>, FenceOptionsValidator>();
        builder.Services.AddSingleton(services => new SiloFence(
            Resolve(services).Duration, TimeProvider.System, services.GetRequiredService<ILogger<SiloFence>>()));
        builder.Services.AddSingleton(services =>
        {
            var (duration, lease, _) = Resolve(services);
            return new TakeoverGuard(lease, duration, TimeProvider.System, services.GetRequiredService<ILogger<TakeoverGuard>>());
        });
        builder.Services.TryAddSingleton<IStoppedSiloMarkers, NoStoppedSiloMarkers>();
        builder.Services.AddSingleton<FenceMetrics>();
        builder.Services.AddSingleton<FenceMonitor>();
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(services => services.GetRequiredService<FenceMonitor>());
        builder.Services.AddSingleton<TakeoverMonitor>();
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(services => services.GetRequiredService<TakeoverMonitor>());
        DecorateFatalErrorHandler(builder.Services);
        builder.AddIncomingGrainCallFilter<FenceFilter>();
        return builder;
    }

    /// <summary>Orleans registered its handler before this runs (the silo builder adds its defaults first); wrap it.</summary>
    private static void DecorateFatalErrorHandler(IServiceCollection services)
    {
        var original = services.LastOrDefault(d => d.ServiceType == typeof(IFatalErrorHandler))
            ?? throw new InvalidOperationException("Orleans' IFatalErrorHandler is not registered; the fence cannot write its stopped marker before the silo ends.");
        services.Remove(original);
        services.AddSingleton<IFatalErrorHandler>(provider => new FencingFatalErrorHandler(
            Create(provider, original), provider.GetRequiredService<SiloFence>(), provider.GetRequiredService<TakeoverMonitor>()));

        static IFatalErrorHandler Create(IServiceProvider provider, ServiceDescriptor descriptor) =>
            (IFatalErrorHandler)(descriptor.ImplementationInstance
                ?? descriptor.ImplementationFactory?.Invoke(provider)
                ?? ActivatorUtilities.CreateInstance(provider, descriptor.ImplementationType!));
    }

    private static (TimeSpan Duration, TimeSpan DeadSiloLease, string? Failure) Resolve(IServiceProvider services)
    {
        var fence = services.GetRequiredService<IOptions<FenceOptions>>().Value;
        return FenceTiming.Resolve(fence.Duration, fence.DeadSiloLease,
            services.GetRequiredService<IOptions<ClusterMembershipOptions>>().Value,
            services.GetRequiredService<IOptions<GrainDirectoryOptions>>().Value);
    }

    private sealed class FenceOptionsValidator(IOptions<ClusterMembershipOptions> membership, IOptions<GrainDirectoryOptions> directory)
        : IValidateOptions<FenceOptions>
    {
        public ValidateOptionsResult Validate(string? name, FenceOptions options) =>
            FenceTiming.Resolve(options.Duration, options.DeadSiloLease, membership.Value, directory.Value).Failure is { } failure
                ? ValidateOptionsResult.Fail(failure)
                : ValidateOptionsResult.Success;
    }
}
