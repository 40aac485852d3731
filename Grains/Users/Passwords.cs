using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Sessions.Grains.Users;

/// <summary>ASP.NET Core Identity's hasher (v3: PBKDF2-HMAC-SHA512, 128-bit salt) at <c>Sessions:PasswordHashing:Iterations</c>.</summary>
internal sealed partial class Passwords
{
    private static readonly object User = new();
    private readonly PasswordHasher<object> _hasher;
    private readonly Lazy<string> _dummyHash;

    public Passwords(IOptions<SessionsOptions> options, ILogger<Passwords> logger)
    {
        var iterations = options.Value.PasswordHashing.Iterations;
        _hasher = new PasswordHasher<object>(Options.Create(new PasswordHasherOptions
        {
            CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3,
            IterationCount = iterations,
        }));
        _dummyHash = new(() => Hash("not-a-password-of-anyone"));
        if (iterations < PasswordHashingOptions.DefaultIterations)
            LogWeakHashing(logger, iterations, PasswordHashingOptions.DefaultIterations);
    }

    public string Hash(string password) => _hasher.HashPassword(User, password);

    /// <summary>Success, failure, or success with a hash made at fewer iterations than configured (the caller re-hashes it).</summary>
    public PasswordVerificationResult Verify(string hash, string password) => _hasher.VerifyHashedPassword(User, hash, password);

    /// <summary>Spends the same work as a real check, so an unknown user cannot be told from a wrong password by timing.</summary>
    public void VerifyNobody(string password) => _hasher.VerifyHashedPassword(User, _dummyHash.Value, password);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning,
        Message = "New password hashes use {Iterations} PBKDF2 iterations, fewer than the default {Default}: for benchmarks and tests only")]
    private static partial void LogWeakHashing(ILogger logger, int iterations, int @default);
}
