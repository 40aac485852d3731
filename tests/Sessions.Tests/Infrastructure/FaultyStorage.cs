using Orleans.Storage;

namespace Sessions.Tests.Infrastructure;

/// <summary>
/// Wraps the real storage; while <see cref="Failing"/> is set every write throws, as a database outage would,
/// and while <see cref="ReadsFailing"/> is set every read does too. While <see cref="WritesHang"/> is set a write
/// waits, as one sent into a black-holed connection would, until <see cref="ReleaseHungWrites"/> lets it through.
/// </summary>
public sealed class FaultyStorage(IGrainStorage inner) : IGrainStorage
{
    public volatile bool Failing;
    public volatile bool ReadsFailing;
    public volatile bool WritesHang;
    private int _writes;
    private int _writesStored;
    private int _writesInFlight;
    private int _mostWritesInFlight;
    private TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Writes that reached this storage, whatever became of them.</summary>
    public int Writes => Volatile.Read(ref _writes);

    /// <summary>Writes the real storage completed.</summary>
    public int WritesStored => Volatile.Read(ref _writesStored);

    /// <summary>The most writes that were in this storage at one time since <see cref="ResetMostWritesInFlight"/>.</summary>
    public int MostWritesInFlight => Volatile.Read(ref _mostWritesInFlight);

    public void ResetMostWritesInFlight() => Volatile.Write(ref _mostWritesInFlight, Volatile.Read(ref _writesInFlight));

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ReadsFailing ? throw new TimeoutException("Storage is down for this test.") : inner.ReadStateAsync(stateName, grainId, grainState);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        Interlocked.Increment(ref _writes);
        var inFlight = Interlocked.Increment(ref _writesInFlight);
        for (var most = Volatile.Read(ref _mostWritesInFlight); inFlight > most; most = Volatile.Read(ref _mostWritesInFlight))
            Interlocked.CompareExchange(ref _mostWritesInFlight, inFlight, most);
        try
        {
            // Taken before the check, so a release between the two cannot leave this write waiting forever.
            var release = Volatile.Read(ref _release).Task;
            if (WritesHang)
                await release;
            if (Failing)
                throw new TimeoutException("Storage is down for this test.");
            await inner.WriteStateAsync(stateName, grainId, grainState);
            Interlocked.Increment(ref _writesStored);
        }
        finally
        {
            Interlocked.Decrement(ref _writesInFlight);
        }
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Failing ? throw new TimeoutException("Storage is down for this test.") : inner.ClearStateAsync(stateName, grainId, grainState);

    /// <summary>Stops hanging writes and lets every hung one through to the real storage.</summary>
    public void ReleaseHungWrites()
    {
        WritesHang = false;
        Interlocked.Exchange(ref _release, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }
}
