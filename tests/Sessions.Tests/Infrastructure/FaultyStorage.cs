using Orleans.Storage;

namespace Sessions.Tests.Infrastructure;

/// <summary>
/// Wraps the real storage; while <see cref="Failing"/> is set every write throws, as a database outage would,
/// and while <see cref="ReadsFailing"/> is set every read does too.
/// </summary>
public sealed class FaultyStorage(IGrainStorage inner) : IGrainStorage
{
    public volatile bool Failing;
    public volatile bool ReadsFailing;

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ReadsFailing ? throw new TimeoutException("Storage is down for this test.") : inner.ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Failing ? throw new TimeoutException("Storage is down for this test.") : inner.WriteStateAsync(stateName, grainId, grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Failing ? throw new TimeoutException("Storage is down for this test.") : inner.ClearStateAsync(stateName, grainId, grainState);
}
