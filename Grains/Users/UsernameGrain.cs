using Orleans.Storage;
using Sessions.Grains.Telemetry;

namespace Sessions.Grains.Users;

/// <summary>
/// Keyed by the normalised username. One activation serialises racing registrations of a name,
/// so exactly one wins; the account is created before the name is stored as taken.
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
        var userId = Ids.New();
        await GrainFactory.GetGrain<IUserGrain>(userId).Create(new NewAccount(username, password, roles), cancellationToken);
        state.State.UserId = userId;
        try
        {
            await state.WriteStateAsync(cancellationToken);
        }
        catch (Exception exception)
        {
            // Not stored, so not taken: a retry must not be told the name is in use. (The account made above is left
            // unnamed; nothing reaches it without the name.) A conflict means an earlier write landed after all: reload.
            state.State.UserId = null;
            if (exception is InconsistentStateException || exception.InnerException is InconsistentStateException)
                DeactivateOnIdle();
            throw;
        }
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
