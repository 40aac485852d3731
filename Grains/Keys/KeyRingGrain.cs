using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sessions.Grains.Telemetry;

namespace Sessions.Grains.Keys;

/// <summary>
/// The cluster's signing keys. A change is acknowledged only after it is stored and every subscribed API host
/// has it, or has stopped trusting its old copy (its lease ran out), so a retired key is rejected everywhere at once.
/// </summary>
internal sealed partial class KeyRingGrain(
    [PersistentState(KeyRingGrain.StateName, SessionsStorage.Name)] IPersistentState<KeyRingState> state,
    SigningKeyFactory keyFactory,
    AccessTokenIssuer tokenIssuer,
    RefreshSecretKey refreshSecretKey,
    [FromKeyedServices(SessionsClock.Key)] TimeProvider time,
    IOptions<SessionsTokenOptions> options,
    AuditLog audit,
    ILogger<KeyRingGrain> logger) : Grain, IKeyRingGrain
{
    public const string StateName = "keyring";
    private static readonly TimeSpan NotifyTimeout = TimeSpan.FromSeconds(5);

    private readonly SessionsTokenOptions _options = options.Value;
    private readonly Dictionary<GrainId, (IKeyRingObserver Observer, DateTimeOffset LastSeen)> _subscribers = [];
    private DateTimeOffset _activatedAt;
    private bool _hostsMayHoldOlderCopy;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Leases are about real elapsed time between hosts, not about the domain clock.
        _activatedAt = TimeProvider.System.GetUtcNow();
        _hostsMayHoldOlderCopy = state.RecordExists;
        var created = state.State.Active is null ? keyFactory.Create(time.GetUtcNow()) : null;
        if (created is not null)
            state.State.Add(created, time.GetUtcNow());
        // Made with the ring (or, for a ring stored before this key existed, when it is next activated), never on a
        // refresh: a write there would hold every Subscribe behind it for the storage timeout while the database is
        // down, and with them every API host's key lease, so every request would wait.
        var secretKeyMissing = state.State.ProtectedRefreshSecretKey is null;
        if (secretKeyMissing)
            state.State.ProtectedRefreshSecretKey = refreshSecretKey.CreateProtected();
        if (created is not null || secretKeyMissing)
            await state.WriteStateAsync(cancellationToken);
        if (created is not null)
            audit.SigningKeyCreated(created.Kid);
    }

    public Task<PublicKeySet> GetPublicKeys(CancellationToken cancellationToken = default) => Task.FromResult(CurrentSet());

    public Task<ProtectedSigningKey> GetActiveKey(CancellationToken cancellationToken = default)
    {
        var active = state.State.Active!;
        return Task.FromResult(new ProtectedSigningKey(active.Kid, active.ProtectedD));
    }

    public Task<string> GetRefreshSecretKey(CancellationToken cancellationToken = default) =>
        Task.FromResult(state.State.ProtectedRefreshSecretKey!);

    public async Task<string> Rotate(CancellationToken cancellationToken = default)
    {
        var kid = await AddKey(cancellationToken);
        audit.SigningKeysRotated(kid, AuditContext.Actor, AuditContext.ClientIp);
        await Publish();
        return kid;
    }

    public async Task<bool> Retire(string kid, CancellationToken cancellationToken = default)
    {
        var key = state.State.Keys.FirstOrDefault(k => k.Kid == kid && !k.Retired);
        if (key is null)
            return false;
        if (key.IsActive)
            await AddKey(cancellationToken);
        state.State.Retire(kid);
        await state.WriteStateAsync(cancellationToken);
        var storedAt = TimeProvider.System.GetUtcNow();
        tokenIssuer.Forget(kid);
        audit.SigningKeyRetired(kid, state.State.Active!.Kid, AuditContext.Actor, AuditContext.ClientIp);
        await Publish();
        // A host may have renewed through IKeyRingReaderGrain with a read sent just before the write, unknown to
        // this grain: it stops trusting that copy a lease after sending the read, so wait a lease after the write.
        var wait = storedAt + _options.KeyRingLease - TimeProvider.System.GetUtcNow();
        if (wait > TimeSpan.Zero)
            await Task.Delay(wait);
        return true;
    }

    public Task<PublicKeySet> Subscribe(IKeyRingObserver observer, CancellationToken cancellationToken = default)
    {
        _subscribers[observer.GetGrainId()] = (observer, TimeProvider.System.GetUtcNow());
        return Task.FromResult(CurrentSet());
    }

    private async Task<string> AddKey(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var key = keyFactory.Create(now);
        state.State.Prune(now, _options.AccessTokenLifetime);
        state.State.Add(key, now);
        await state.WriteStateAsync(cancellationToken);
        return key.Kid;
    }

    private PublicKeySet CurrentSet() => state.State.ToPublicKeySet(time.GetUtcNow(), _options.AccessTokenLifetime);

    private async Task Publish()
    {
        var set = CurrentSet();
        var subscribers = _subscribers.ToList();
        var results = await Task.WhenAll(subscribers.Select(async s =>
        {
            try
            {
                await s.Value.Observer.KeysChanged(set).WaitAsync(NotifyTimeout);
                return true;
            }
            catch (Exception exception)
            {
                LogObserverFailed(logger, exception, s.Key);
                return false;
            }
        }));

        // A host that did not take the change stops trusting its copy when its lease ends; wait for that.
        var safeAt = DateTimeOffset.MinValue;
        for (var i = 0; i < subscribers.Count; i++)
        {
            if (results[i])
                continue;
            _subscribers.Remove(subscribers[i].Key);
            safeAt = Max(safeAt, subscribers[i].Value.LastSeen + _options.KeyRingLease);
        }
        // Hosts that subscribed to an earlier activation are unknown to this one until they renew.
        if (_hostsMayHoldOlderCopy)
            safeAt = Max(safeAt, _activatedAt + _options.KeyRingLease);
        var wait = safeAt - TimeProvider.System.GetUtcNow();
        if (wait > TimeSpan.Zero)
            await Task.Delay(wait);
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Key ring observer {Observer} did not take a change; waiting for its lease to end")]
    private static partial void LogObserverFailed(ILogger logger, Exception exception, GrainId observer);
}
