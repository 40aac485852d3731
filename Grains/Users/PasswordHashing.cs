using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NSec.Cryptography;

namespace Sessions.Grains.Users;

/// <summary>
/// Password hashes. New ones are Argon2id (libsodium through NSec) in the PHC string format libsodium and argon2
/// itself write, <c>$argon2id$v=19$m=19456,t=2,p=1$salt$hash</c>, so each records its own cost. Hashes of ASP.NET Core
/// Identity's v3 format (PBKDF2), made before, still verify and ask to be re-made. At most MaxConcurrent hashes run
/// at once per silo and MaxQueued wait; past that a check fails fast with <see cref="PasswordHashingBusyException"/>,
/// so a login storm costs a bounded amount of memory (MaxConcurrent × MemoryKiB). The password goes in as its UTF-8
/// bytes, as other Argon2 implementations take it (NSec's string overload derives something else).
/// </summary>
internal sealed partial class PasswordHashing
{
    private const string Prefix = "$argon2id$v=19$";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;
    // Bounds on what a stored hash may ask for, so a corrupt one cannot make a check take a gigabyte or an hour.
    private const long MaxStoredMemoryKiB = 1_048_576;
    private const long MaxStoredPasses = 100;
    private static readonly object User = new();

    private readonly PasswordHashingOptions _options;
    private readonly PasswordHasher<object> _legacy = new(Options.Create(new PasswordHasherOptions { CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3 }));
    private readonly Argon2id _algorithm;
    private readonly SemaphoreSlim _slots;
    private readonly Lazy<string> _dummyHash;
    private int _waiting;

    public PasswordHashing(IOptions<SessionsSiloOptions> options, ILogger<PasswordHashing> logger)
    {
        _options = options.Value.PasswordHashing;
        _algorithm = Algorithm(_options.MemoryKiB, _options.Passes);
        _slots = new SemaphoreSlim(_options.MaxConcurrent, _options.MaxConcurrent);
        _dummyHash = new(() => Compute("not-a-password-of-anyone"));
        // OWASP's equivalent settings trade memory for passes, from 46 MiB × 1 to 7 MiB × 5: all are at least 35840 KiB-passes.
        if (_options.MemoryKiB < 7_168 || (long)_options.MemoryKiB * _options.Passes < 35_840)
            LogWeakHashing(logger, _options.MemoryKiB, _options.Passes, PasswordHashingOptions.DefaultMemoryKiB, PasswordHashingOptions.DefaultPasses);
    }

    public Task<string> HashAsync(string password) => Gated(() => Compute(password));

    /// <summary>Success, failure, or success with a hash cheaper than configured or of the old format (the caller re-hashes it).</summary>
    public Task<PasswordVerificationResult> VerifyAsync(string hash, string password) => Gated(() => Verify(hash, password));

    /// <summary>Spends the same work as a real check, so an unknown user cannot be told from a wrong password by timing.</summary>
    public Task VerifyNobodyAsync(string password) => Gated(() => Verify(_dummyHash.Value, password));

    private PasswordVerificationResult Verify(string hash, string password)
    {
        if (!hash.StartsWith(Prefix, StringComparison.Ordinal))
        {
            // An ASP.NET Core Identity v3 (PBKDF2) hash from before: good for one more login, then re-made as Argon2id.
            return _legacy.VerifyHashedPassword(User, hash, password) == PasswordVerificationResult.Failed
                ? PasswordVerificationResult.Failed
                : PasswordVerificationResult.SuccessRehashNeeded;
        }
        if (!TryParse(hash, out var memoryKiB, out var passes, out var salt, out var expected))
            return PasswordVerificationResult.Failed;
        var actual = Algorithm(memoryKiB, passes).DeriveBytes(Encoding.UTF8.GetBytes(password), salt, expected.Length);
        if (!CryptographicOperations.FixedTimeEquals(actual, expected))
            return PasswordVerificationResult.Failed;
        return memoryKiB < _options.MemoryKiB || passes < _options.Passes
            ? PasswordVerificationResult.SuccessRehashNeeded
            : PasswordVerificationResult.Success;
    }

    private string Compute(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = _algorithm.DeriveBytes(Encoding.UTF8.GetBytes(password), salt, HashBytes);
        return string.Create(CultureInfo.InvariantCulture,
            $"{Prefix}m={_options.MemoryKiB},t={_options.Passes},p=1${Base64(salt)}${Base64(hash)}");
    }

    // Internal for the queue-bound tests.
    internal async Task<T> Gated<T>(Func<T> work)
    {
        if (Interlocked.Increment(ref _waiting) > _options.MaxQueued + _options.MaxConcurrent)
        {
            Interlocked.Decrement(ref _waiting);
            throw new PasswordHashingBusyException();
        }
        try
        {
            await _slots.WaitAsync();
        }
        catch
        {
            Interlocked.Decrement(ref _waiting);
            throw;
        }
        try
        {
            return work();
        }
        finally
        {
            _slots.Release();
            Interlocked.Decrement(ref _waiting);
        }
    }

    private static Argon2id Algorithm(long memoryKiB, long passes) =>
        PasswordBasedKeyDerivationAlgorithm.Argon2id(new Argon2Parameters { DegreeOfParallelism = 1, MemorySize = memoryKiB, NumberOfPasses = passes });

    private static bool TryParse(string hash, out long memoryKiB, out long passes, out byte[] salt, out byte[] expected)
    {
        memoryKiB = passes = 0;
        salt = expected = [];
        // $argon2id$v=19$m=..,t=..,p=1$salt$hash → "", "argon2id", "v=19", "m=..,t=..,p=1", salt, hash
        var parts = hash.Split('$');
        if (parts.Length != 6)
            return false;
        var costs = parts[3].Split(',');
        if (costs.Length != 3 || costs[2] != "p=1"
            || !costs[0].StartsWith("m=", StringComparison.Ordinal) || !long.TryParse(costs[0].AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out memoryKiB)
            || !costs[1].StartsWith("t=", StringComparison.Ordinal) || !long.TryParse(costs[1].AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out passes)
            || memoryKiB is < 8 or > MaxStoredMemoryKiB || passes is < 1 or > MaxStoredPasses)
            return false;
        try
        {
            salt = FromBase64(parts[4]);
            expected = FromBase64(parts[5]);
        }
        catch (FormatException)
        {
            return false;
        }
        return salt.Length is >= 8 and <= 64 && expected.Length is >= 16 and <= 64;
    }

    // PHC strings use standard base64 without padding.
    private static string Base64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    private static byte[] FromBase64(string text) => Convert.FromBase64String(text.PadRight(text.Length + (4 - text.Length % 4) % 4, '='));

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning,
        Message = "New password hashes use Argon2id at {MemoryKiB} KiB and {Passes} passes, below OWASP's {DefaultMemoryKiB} KiB and {DefaultPasses}: for benchmarks and tests only")]
    private static partial void LogWeakHashing(ILogger logger, int memoryKiB, int passes, int defaultMemoryKiB, int defaultPasses);
}
