using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Storage;

namespace Sessions.Grains.Keys;

/// <summary>
/// Reads the stored state of the key ring with the same key, on the local silo. A stateless worker is never registered in the grain
/// directory, so it answers while the key-ring grain is held under a dead silo's directory lease.
/// </summary>
[StatelessWorker]
internal sealed class KeyRingReaderGrain(
    [FromKeyedServices(SessionsStorage.Name)] IGrainStorage storage,
    [FromKeyedServices(SessionsClock.Key)] TimeProvider time,
    IOptions<SessionsTokenOptions> options) : Grain, IKeyRingReaderGrain
{
    public async Task<PublicKeySet> ReadPublicKeys(CancellationToken cancellationToken = default)
    {
        var state = new GrainState<KeyRingState>(new KeyRingState());
        await storage.ReadStateAsync(KeyRingGrain.StateName, GrainFactory.GetGrain<IKeyRingGrain>(this.GetPrimaryKeyLong()).GetGrainId(), state);
        if (!state.RecordExists)
            throw new StorageUnavailableException("The key ring has not been stored yet.");
        return state.State!.ToPublicKeySet(time.GetUtcNow(), options.Value.AccessTokenLifetime);
    }
}
