namespace Sessions.Grains;

/// <summary>The index from a normalised username to its user id; makes registration race-free.</summary>
[Alias("Sessions.IUsernameGrain")]
public interface IUsernameGrain : IGrainWithStringKey
{
    /// <summary>Creates the account if the name is free; exactly one of racing registrations wins.</summary>
    [Alias("Register")]
    Task<RegisterOutcome> Register(string username, string password, string[] roles, CancellationToken cancellationToken = default);

    /// <summary>The user id holding this name, or null.</summary>
    [Alias("GetUserId")]
    Task<string?> GetUserId(CancellationToken cancellationToken = default);

    /// <summary>
    /// Points this (free) name at an existing account: for accounts stored under a key made by older rules, so their
    /// owners reach them by the new key. False if the name is already taken; never moves a taken name.
    /// </summary>
    [Alias("Adopt")]
    Task<bool> Adopt(string userId, CancellationToken cancellationToken = default);

    /// <summary>Logs in by name; an unknown name costs the same password-hash work as a wrong password.</summary>
    [Alias("Login")]
    Task<TokenOutcome> Login(LoginRequest request, CancellationToken cancellationToken = default);
}
