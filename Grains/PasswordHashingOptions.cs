namespace Sessions.Grains;

/// <summary>
/// The cost of new password hashes: Argon2id (libsodium through NSec) at OWASP's Password Storage Cheat Sheet
/// setting of 19 MiB, 2 passes, 1 lane. Every stored hash records its own parameters, so changing these never locks
/// anyone out; a hash made cheaper than configured, or an older PBKDF2 one, is re-made at its owner's next login.
/// </summary>
public sealed class PasswordHashingOptions
{
    /// <summary>OWASP's minimum for Argon2id: 19 MiB.</summary>
    public const int DefaultMemoryKiB = 19_456;

    /// <summary>OWASP's pass count at 19 MiB.</summary>
    public const int DefaultPasses = 2;

    /// <summary>
    /// Memory of one hash in KiB. Far below the default makes stolen hashes cheap to crack: for benchmarks and tests
    /// that need many accounts quickly, never for a deployment (a warning is logged at start).
    /// </summary>
    public int MemoryKiB { get; set; } = DefaultMemoryKiB;

    /// <summary>Argon2id passes (time cost).</summary>
    public int Passes { get; set; } = DefaultPasses;

    /// <summary>Hashes computed at once per silo; each holds <see cref="MemoryKiB"/> while it runs.</summary>
    public int MaxConcurrent { get; set; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>Hashes waiting for a slot; past this a login is answered 503 with Retry-After instead of growing memory.</summary>
    public int MaxQueued { get; set; } = 64;
}
