namespace Sessions.Grains.Fencing;

/// <summary>
/// Durable "this silo identity decides nothing any more" markers, in the cluster's database. A silo writes its own only
/// once its fence is closed for good; a survivor writes one for a dead silo whose lease ran out. Each marker is for one
/// silo identity (address and generation), which never runs again.
/// </summary>
public interface IStoppedSiloMarkers
{
    /// <summary>Records that <paramref name="silo"/> has stopped deciding; <paramref name="kind"/> says who knows it ("stopped": itself, "lease": a survivor).</summary>
    Task MarkAsync(SiloAddress silo, string kind, CancellationToken cancellationToken);

    /// <summary>Which of <paramref name="silos"/> have a marker, each with how long ago it was written (by the database's clock).</summary>
    Task<IReadOnlyDictionary<SiloAddress, TimeSpan>> FindAsync(IReadOnlyCollection<SiloAddress> silos, CancellationToken cancellationToken);
}

/// <summary>No marker table: every dead silo is waited for the whole lease, as without the guard's shortcut.</summary>
internal sealed class NoStoppedSiloMarkers : IStoppedSiloMarkers
{
    public Task MarkAsync(SiloAddress silo, string kind, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IReadOnlyDictionary<SiloAddress, TimeSpan>> FindAsync(IReadOnlyCollection<SiloAddress> silos, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<SiloAddress, TimeSpan>>(new Dictionary<SiloAddress, TimeSpan>());
}
