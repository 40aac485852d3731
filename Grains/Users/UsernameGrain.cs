using Sessions.Grains.Telemetry;

namespace Sessions.Grains.Users;

/// <summary>
/// Keyed by the normalised username. One activation serialises racing registrations of a name,
/// so exactly one wins; the account is created before the name is stored as taken. A name whose confusable
/// skeleton another name already holds is refused: the skeleton grain decides, so look-alike races are serialised too.
/// </summary>
internal sealed class UsernameGrain(
    [PersistentState("username", SessionsStorage.Name)] IPersistentState<UsernameState> state,
    AuditLog audit,
    GrainMetrics metrics,
    Passwords passwords) : Grain, IUsernameGrain
{
    public async Task<RegisterOutcome> Register(string username, string password, string[] roles, CancellationToken cancellationToken = default)
    {
        if (state.State.UserId is not null)
            return new RegisterOutcome(false, null, username);
        var key = this.GetPrimaryKeyString();
        if (!await GrainFactory.GetGrain<IUsernameSkeletonGrain>(Username.Skeleton(key)).Claim(key, cancellationToken))
            return new RegisterOutcome(false, null, username, LooksLikeAnother: true);
        var userId = Ids.New();
        await GrainFactory.GetGrain<IUserGrain>(userId).Create(new NewAccount(username, password, roles), cancellationToken);
        state.State.UserId = userId;
        await state.WriteStateAsync(cancellationToken);
        return new RegisterOutcome(true, userId, username);
    }

    public Task<string?> GetUserId(CancellationToken cancellationToken = default) => Task.FromResult(state.State.UserId);

    public Task<TokenOutcome> Login(LoginRequest request, CancellationToken cancellationToken = default)
    {
        if (state.State.UserId is { } userId)
            return GrainFactory.GetGrain<IUserGrain>(userId).Login(request, cancellationToken);
        passwords.VerifyNobody(request.Password);
        metrics.LoginFailed(LoginFailureReasons.UnknownUser);
        // No user id to name; the attempted name is not logged either, as people type passwords into name fields.
        audit.LoginFailed(null, LoginFailureReasons.UnknownUser, request.ClientIp ?? AuditContext.ClientIp);
        return Task.FromResult(TokenOutcome.Fail(TokenFailure.InvalidCredentials));
    }
}
