using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Sessions.Grains.Telemetry;

namespace Sessions.Grains.Fencing;

public static class FenceSiloBuilderExtensions
{
    /// <summary>
    /// The fence of a clustered silo (see <see cref="FenceTiming"/>): the directory lease it relies on, the monitor
    /// that reads this silo's membership row, and the filter that refuses Sessions grain calls while fenced. Reads
    /// <c>Cluster:Fence</c> and <c>Cluster:Directory</c>; a single-process silo has no peers and never calls this.
    /// </summary>
    public static ISiloBuilder AddSessionsFence(this ISiloBuilder builder, IConfiguration configuration)
    {
        var directory = configuration.GetSection("Cluster:Directory");
        builder.Services.Configure<GrainDirectoryOptions>(directory);
        // Orleans' default lease (30 s) minus its default failure-detection window (60 s) is no lease at all.
        // Unless the operator chose a lease, make it leave MinimumDeadSiloLease after detection.
        if (directory["RangeLeaseDuration"] is null)
            builder.Services.AddOptions<GrainDirectoryOptions>().PostConfigure<IOptions<ClusterMembershipOptions>>((options, membership) =>
            {
                var wanted = FenceTiming.RangeLeaseDurationFor(membership.Value);
                if (options.RangeLeaseDuration < wanted)
                    options.RangeLeaseDuration = wanted;
            });
        builder.Services.AddOptions<FenceOptions>().BindConfiguration(FenceOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<FenceOptions>, FenceOptionsValidator>();
        builder.Services.AddSingleton(services => new SiloFence(
            Resolve(services).Duration, TimeProvider.System, services.GetRequiredService<ILogger<SiloFence>>()));
        builder.Services.AddSingleton<FenceMetrics>();
        builder.Services.AddSingleton<FenceMonitor>();
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(services => services.GetRequiredService<FenceMonitor>());
        builder.AddIncomingGrainCallFilter<FenceFilter>();
        return builder;
    }

    private static (TimeSpan Duration, string? Failure) Resolve(IServiceProvider services) => FenceTiming.Resolve(
        services.GetRequiredService<IOptions<FenceOptions>>().Value.Duration,
        services.GetRequiredService<IOptions<ClusterMembershipOptions>>().Value,
        services.GetRequiredService<IOptions<GrainDirectoryOptions>>().Value);

    private sealed class FenceOptionsValidator(IOptions<ClusterMembershipOptions> membership, IOptions<GrainDirectoryOptions> directory)
        : IValidateOptions<FenceOptions>
    {
        public ValidateOptionsResult Validate(string? name, FenceOptions options) =>
            FenceTiming.Resolve(options.Duration, membership.Value, directory.Value).Failure is { } failure
                ? ValidateOptionsResult.Fail(failure)
                : ValidateOptionsResult.Success;
    }
}
