namespace Sessions.Grains;

/// <summary>
/// The cost of new password hashes: ASP.NET Core Identity's v3 format, PBKDF2-HMAC-SHA512 with a 128-bit salt.
/// Every stored hash records its own iteration count, so changing this never locks anyone out; a hash made with
/// fewer iterations than configured is re-made at its owner's next successful login.
/// </summary>
public sealed class PasswordHashingOptions
{
    /// <summary>ASP.NET Core Identity's own default; what every login pays for.</summary>
    public const int DefaultIterations = 100_000;

    /// <summary>
    /// PBKDF2 iterations for new hashes. Values far below the default make stolen hashes cheap to crack: they are
    /// for benchmarks and tests that need many accounts quickly, never for a deployment.
    /// </summary>
    public int Iterations { get; set; } = DefaultIterations;
}
