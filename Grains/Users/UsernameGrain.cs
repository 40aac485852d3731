using Orleans.Storage;
using Sessions.Grains.Telemetry;

namespace Sessions.Grains.Users;

/// <summary>
/// Keyed by the normalised username. One activation serialises racing registrations of a name,
/// so exactly one wins; the account is created before the name is stored as taken. A name whose confusable
/// skeleton another name already holds is refused: the skeleton grain decides, so look-alike races are serialised too.
/// </summary>
[CollectionAgeLimit(Minutes = LoginOnlyGrains.CollectionAgeMinutes)]
internal sealed class UsernameGrain(
    [PersistentState("username", SessionsStorage.Name)] IPersistentState<UsernameState> state,
    AuditLog audit,
    GrainMetrics metrics,
    PasswordHashing passwords) : Grain, IUsernameGrain, IIncomingGrainCallFilter
{
    private LoginOnlyGrains.IdleDeactivation? _idle;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _idle = new LoginOnlyGrains.IdleDeactivation(this);
        // A name registered before skeletons were indexed (or before HoldsSkeleton was stored) claims its own on first
        // use, so look-alikes of it are refused from then on, and stores that it holds it, so no later activation calls
        // the skeleton grain again. Best effort: retried at the next activation, and a login never waits on it failing.
        if (state.State.UserId is null || state.State.HoldsSkeleton)
            return;
        var key = this.GetPrimaryKeyString();
        try
        {
            if (!await GrainFactory.GetGrain<IUsernameSkeletonGrain>(Username.Skeleton(key)).Claim(key, cancellationToken))
                return;
            state.State.HoldsSkeleton = true;
            await state.WriteStateAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            state.State.HoldsSkeleton = false;
        }
    }

    public Task Invoke(IIncomingGrainCallContext context) => _idle is { } idle ? idle.Invoke(context) : context.Invoke();

    public async Task<RegisterOutcome> Register(string username, string password, string[] roles, CancellationToken cancellationToken = default)
    {
        if (state.State.UserId is not null)
            return new RegisterOutcome(false, null, username);
        var key = this.GetPrimaryKeyString();
        if (!await GrainFactory.GetGrain<IUsernameSkeletonGrain>(Username.Skeleton(key)).Claim(key, cancellationToken))
            return new RegisterOutcome(false, null, username, LooksLikeAnother: true);
        var userId = Ids.New();
        try
        {
            await GrainFactory.GetGrain<IUserGrain>(userId).Create(new NewAccount(username, password, roles), cancellationToken);
        }
        catch
        {
            await ReleaseSkeleton(key);
            throw;
        }
        state.State.UserId = userId;
        state.State.HoldsSkeleton = true;
        try
        {
            await state.WriteStateAsync(cancellationToken);
        }
        catch (Exception exception)
        {
            // Not stored, so not taken: a retry must not be told the name is in use. (The account made above is left
            // unnamed; nothing reaches it without the name.) A conflict means an earlier write landed after all: reload,
            // and keep the skeleton, which that write's name holds.
            state.State.UserId = null;
            state.State.HoldsSkeleton = false;
            if (exception is InconsistentStateException || exception.InnerException is InconsistentStateException)
                DeactivateOnIdle();
            else
                await ReleaseSkeleton(key);
            throw;
        }
        return new RegisterOutcome(true, userId, username);
    }

    // A failed registration must not keep look-alikes of a name nobody got out; best effort, as the failure that
    // brought us here is what the caller must hear about (a claim left behind only refuses look-alikes, never this name).
    private async Task ReleaseSkeleton(string key)
    {
        try
        {
            await GrainFactory.GetGrain<IUsernameSkeletonGrain>(Username.Skeleton(key)).Release(key);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
        }
    }

    public async Task<bool> Adopt(string userId, CancellationToken cancellationToken = default)
    {
        if (state.State.UserId is { } holder)
            return holder == userId;
        // The skeleton is claimed if free, but a look-alike holding it does not stop the adoption: the account exists
        // already, and refusing would lock its owner out.
        var key = this.GetPrimaryKeyString();
        var holdsSkeleton = await GrainFactory.GetGrain<IUsernameSkeletonGrain>(Username.Skeleton(key)).Claim(key, cancellationToken);
        state.State.UserId = userId;
        state.State.HoldsSkeleton = holdsSkeleton;
        await state.WriteStateAsync(cancellationToken);
        return true;
    }

    public Task<string?> GetUserId(CancellationToken cancellationToken = default) => Task.FromResult(state.State.UserId);

    public async Task<TokenOutcome> Login(LoginRequest request, CancellationToken cancellationToken = default)
    {
        if (state.State.UserId is { } userId)
            return await GrainFactory.GetGrain<IUserGrain>(userId).Login(request, cancellationToken);
        await passwords.VerifyNobodyAsync(request.Password);
        metrics.LoginFailed(LoginFailureReasons.UnknownUser);
        // No user id to name; the attempted name is not logged either, as people type passwords into name fields.
        audit.LoginFailed(null, LoginFailureReasons.UnknownUser, request.ClientIp ?? AuditContext.ClientIp);
        return TokenOutcome.Fail(TokenFailure.InvalidCredentials);
    }
}
