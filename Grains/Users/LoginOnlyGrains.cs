using System.Diagnostics;

namespace Sessions.Grains.Users;

/// <summary>
/// Grains a request needs only at registration and login (a username and its skeleton): once the login is over they
/// are dead weight, so each deactivates itself once it has had no call for <see cref="IdleBeforeDeactivation"/>; a
/// later login reactivates it from storage, one read (next to the password hash a login pays anyway). Not at once
/// after each answer: calls queued behind it would be forwarded to a new activation each time, and Orleans refuses a
/// message forwarded more than twice, so a burst of logins to one name would fail. The collection age (two minutes
/// instead of Orleans' fifteen) is only the backstop.
/// </summary>
internal static class LoginOnlyGrains
{
    public const double CollectionAgeMinutes = 2;

    public static readonly TimeSpan IdleBeforeDeactivation = TimeSpan.FromSeconds(2);

    /// <summary>Deactivates its grain between one and two <see cref="IdleBeforeDeactivation"/> after its last call ended.</summary>
    public sealed class IdleDeactivation
    {
        private readonly IGrainBase _grain;
        private long _lastCallEnded = Stopwatch.GetTimestamp();

        /// <summary>Call from the grain's <c>OnActivateAsync</c>: the timer belongs to the activation.</summary>
        public IdleDeactivation(IGrainBase grain)
        {
            _grain = grain;
            // Not interleaved, so a tick waits for a call in progress; KeepAlive false, so the timer never holds the
            // grain in memory itself.
            grain.RegisterGrainTimer(Tick, new GrainTimerCreationOptions(IdleBeforeDeactivation, IdleBeforeDeactivation) { KeepAlive = false });
        }

        /// <summary>Wraps every call, so the idle time counts from the end of the last one, however long it took.</summary>
        public async Task Invoke(IIncomingGrainCallContext context)
        {
            try
            {
                await context.Invoke();
            }
            finally
            {
                _lastCallEnded = Stopwatch.GetTimestamp();
            }
        }

        private Task Tick(CancellationToken cancellationToken)
        {
            if (Stopwatch.GetElapsedTime(_lastCallEnded) >= IdleBeforeDeactivation)
                _grain.DeactivateOnIdle();
            return Task.CompletedTask;
        }
    }
}
