using Orleans.Runtime;

namespace Sessions.Api.Cluster;

/// <summary>
/// Whether this API host's Orleans client is connected: it has started and holds at least one gateway connection.
/// Until it has, and whenever it has lost them all, every request that needs the cluster is answered 503; the client
/// keeps retrying in the background, so the host recovers by itself. A black-holed connection still counts as held
/// here: <see cref="ClusterConnectionHealthCheck"/> adds the active check.
/// </summary>
public sealed class ClusterReadiness : ILifecycleParticipant<IClusterClientLifecycle>, IClientConnectionRetryFilter, IClusterConnectionStatusObserver
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    private volatile bool _started;
    // -1 until the client reports a count: it becomes Active only once it holds a gateway.
    private volatile int _gateways = -1;

    public bool IsConnected => _started && _gateways != 0;

    public void Participate(IClusterClientLifecycle lifecycle) =>
        lifecycle.Subscribe<ClusterReadiness>(ServiceLifecycleStage.Active, _ =>
        {
            _started = true;
            return Task.CompletedTask;
        });

    // Never give up: an API host may well start before any silo does.
    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        await Task.Delay(RetryDelay, cancellationToken);
        return true;
    }

    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered) =>
        _gateways = currentNumberOfGateways;

    public void NotifyClusterConnectionLost() => _gateways = 0;
}
