namespace Sessions.Grains.Users;

/// <summary>Keyed by a confusable skeleton; the first username key to claim it keeps it.</summary>
[CollectionAgeLimit(Minutes = LoginOnlyGrains.CollectionAgeMinutes)]
internal sealed class UsernameSkeletonGrain(
    [PersistentState("usernameSkeleton", SessionsStorage.Name)] IPersistentState<UsernameSkeletonState> state) : Grain, IUsernameSkeletonGrain
{
    public async Task<bool> Claim(string usernameKey, CancellationToken cancellationToken = default)
    {
        if (state.State.UsernameKey is { } holder)
            return holder == usernameKey;
        state.State.UsernameKey = usernameKey;
        await state.WriteStateAsync(cancellationToken);
        return true;
    }

    public Task<string?> GetHolder(CancellationToken cancellationToken = default) => Task.FromResult(state.State.UsernameKey);
}
