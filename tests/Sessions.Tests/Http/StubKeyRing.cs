using Sessions.Grains;

namespace Sessions.Tests.Http;

/// <summary>
/// A key ring whose answers the test hands out one by one: each Subscribe waits until the test completes it, which is
/// how a call sent into a black-holed gateway connection looks to the caller. Only the key ring is served.
/// </summary>
public sealed class StubKeyRing : IKeyRingGrain, IKeyRingReaderGrain
{
    private readonly Queue<TaskCompletionSource<PublicKeySet>> _pending = new();

    public int Subscribes { get; private set; }

    public IGrainFactory Factory => StubGrainFactory.For(this);

    /// <summary>Answers the oldest Subscribe still waiting.</summary>
    public void Answer(PublicKeySet keys) => _pending.Dequeue().SetResult(keys);

    public Task<PublicKeySet> Subscribe(IKeyRingObserver observer, CancellationToken cancellationToken = default)
    {
        Subscribes++;
        var answer = new TaskCompletionSource<PublicKeySet>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending.Enqueue(answer);
        return answer.Task;
    }

    public Task<PublicKeySet> GetPublicKeys(CancellationToken cancellationToken = default) => throw new NotSupportedException();

    // No stored copy to fall back on: a renewal fails exactly as the key ring's own Subscribe did.
    public Task<PublicKeySet> ReadPublicKeys(CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<ProtectedSigningKey> GetActiveKey(CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<string> Rotate(CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<string> GetRefreshSecretKey(CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<bool> Retire(string kid, CancellationToken cancellationToken = default) => throw new NotSupportedException();
}
