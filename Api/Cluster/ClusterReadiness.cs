using Orleans.Runtime;

namespace Sessions.Api.Cluster;

/// <summary>
/// Whether this API host's Orleans client has connected. Until it has, every request that needs the cluster is
/// answered 503; the client keeps retrying in the background, so the host recovers by itself.
/// </summary>
public sealed class ClusterReadiness : ILifecycleParticipant<IClusterClientLifecycle>, IClientConnectionRetryFilter
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    private volatile bool _connected;

    public bool IsConnected => _connected;

    public void Participate(IClusterClientLifecycle lifecycle) =>
        lifecycle.Subscribe<ClusterReadiness>(ServiceLifecycleStage.Active, _ =>
        {
            _connected = true;
            return Task.CompletedTask;
        });

    // Never give up: an API host may well start before any silo does.
    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        await Task.Delay(RetryDelay, cancellationToken);
        return true;
    }
}
