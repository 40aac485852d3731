namespace Sessions.Grains.Users;

/// <summary>Keyed by a confusable skeleton; the first username key to claim it keeps it.</summary>
[CollectionAgeLimit(Minutes = LoginOnlyGrains.CollectionAgeMinutes)]
internal sealed class UsernameSkeletonGrain(
    [PersistentState("usernameSkeleton", SessionsStorage.Name)] IPersistentState<UsernameSkeletonState> state)
    : Grain, IUsernameSkeletonGrain, IIncomingGrainCallFilter
{
    private LoginOnlyGrains.IdleDeactivation? _idle;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _idle = new LoginOnlyGrains.IdleDeactivation(this);
        return Task.CompletedTask;
    }

    public Task Invoke(IIncomingGrainCallContext context) => _idle is { } idle ? idle.Invoke(context) : context.Invoke();

    public async Task<bool> Claim(string usernameKey, CancellationToken cancellationToken = default)
    {
        if (state.State.UsernameKey is { } holder)
            return holder == usernameKey;
        state.State.UsernameKey = usernameKey;
        try
        {
            await state.WriteStateAsync(cancellationToken);
        }
        catch
        {
            // Not stored, so not held: the activation must not refuse look-alikes for a claim storage never saw.
            state.State.UsernameKey = null;
            DeactivateOnIdle();
            throw;
        }
        return true;
    }

    public async Task Release(string usernameKey, CancellationToken cancellationToken = default)
    {
        if (state.State.UsernameKey != usernameKey)
            return;
        state.State.UsernameKey = null;
        try
        {
            await state.ClearStateAsync(cancellationToken);
        }
        catch
        {
            // Still held in storage: reload it rather than answer from a state storage does not have.
            DeactivateOnIdle();
            throw;
        }
    }

    public Task<string?> GetHolder(CancellationToken cancellationToken = default) => Task.FromResult(state.State.UsernameKey);
}
