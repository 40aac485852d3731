using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Sessions.Grains;
using Sessions.Grains.Users;

namespace Sessions.Tests.Grains;

public sealed class PasswordHashingTests
{
    private const string Password = "correct horse battery";
    // Made by the reference Argon2 implementation (libargon2, not libsodium), salt "sessions-salt-16", at OWASP's cost.
    private const string ReferenceArgon2id = "$argon2id$v=19$m=19456,t=2,p=1$c2Vzc2lvbnMtc2FsdC0xNg$Q5O73fyprND2ZfuIPm20jhwQd3Y8BWobRX1SoD+GVoo";
    // The same at 64 KiB and one pass.
    private const string CheapReferenceArgon2id = "$argon2id$v=19$m=64,t=1,p=1$c2Vzc2lvbnMtc2FsdC0xNg$LPWwl+S7YbB+OV9XfzKzaOiabV7LW7uqb/8LFoZMCaM";
    // ASP.NET Core Identity v3 (PBKDF2-HMAC-SHA512, 100,000 iterations, salt "legacy-salt-0016"), built with Python's hashlib.
    private const string LegacyPbkdf2 = "AQAAAAIAAYagAAAAEGxlZ2FjeS1zYWx0LTAwMTbL1zZ51uy5iyXuWO8RRbNag5Mj85pnkmZM3KjjpQ1ILw==";

    [Fact]
    public async Task Hash_DefaultOptions_IsArgon2idAtOwaspCost()
    {
        var hash = await New().HashAsync(Password);

        Assert.StartsWith("$argon2id$v=19$m=19456,t=2,p=1$", hash);
        Assert.Equal(6, hash.Split('$').Length);
    }

    [Fact]
    public async Task Hash_ConfiguredCost_RecordsItInTheHash() =>
        Assert.StartsWith("$argon2id$v=19$m=64,t=3,p=1$", await New(memoryKiB: 64, passes: 3).HashAsync(Password));

    [Fact]
    public async Task Verify_ReferenceImplementationsHash_Succeeds() =>
        Assert.Equal(PasswordVerificationResult.Success, await New().VerifyAsync(ReferenceArgon2id, Password));

    [Fact]
    public async Task Verify_ReferenceHashWithWrongPassword_Fails() =>
        Assert.Equal(PasswordVerificationResult.Failed, await New().VerifyAsync(ReferenceArgon2id, "wrong horse battery"));

    [Fact]
    public async Task Verify_HashCheaperThanConfigured_SucceedsAndAsksForRehash() =>
        Assert.Equal(PasswordVerificationResult.SuccessRehashNeeded, await New().VerifyAsync(CheapReferenceArgon2id, Password));

    [Fact]
    public async Task Verify_HashCostlierThanConfigured_Succeeds() =>
        Assert.Equal(PasswordVerificationResult.Success, await New(memoryKiB: 64, passes: 1).VerifyAsync(ReferenceArgon2id, Password));

    [Fact]
    public async Task Verify_LegacyPbkdf2Hash_SucceedsAndAsksForRehash() =>
        Assert.Equal(PasswordVerificationResult.SuccessRehashNeeded, await New().VerifyAsync(LegacyPbkdf2, Password));

    [Fact]
    public async Task Verify_LegacyPbkdf2HashWithWrongPassword_Fails() =>
        Assert.Equal(PasswordVerificationResult.Failed, await New().VerifyAsync(LegacyPbkdf2, "wrong horse battery"));

    [Theory]
    [InlineData("$argon2id$v=19$m=64,t=1,p=1$c2Vzc2lvbnMtc2FsdC0xNg")]
    [InlineData("$argon2id$v=19$m=99999999999,t=1,p=1$c2Vzc2lvbnMtc2FsdC0xNg$LPWwl+S7YbB+OV9XfzKzaOiabV7LW7uqb/8LFoZMCaM")]
    [InlineData("$argon2id$v=19$m=64,t=1,p=4$c2Vzc2lvbnMtc2FsdC0xNg$LPWwl+S7YbB+OV9XfzKzaOiabV7LW7uqb/8LFoZMCaM")]
    [InlineData("$argon2id$v=19$m=64,t=1,p=1$!!!$LPWwl+S7YbB+OV9XfzKzaOiabV7LW7uqb/8LFoZMCaM")]
    public async Task Verify_MalformedArgon2idHash_Fails(string hash) =>
        Assert.Equal(PasswordVerificationResult.Failed, await New().VerifyAsync(hash, Password));

    [Fact]
    public async Task Verify_OwnHash_Succeeds()
    {
        var passwords = New(memoryKiB: 64, passes: 1);

        Assert.Equal(PasswordVerificationResult.Success, await passwords.VerifyAsync(await passwords.HashAsync(Password), Password));
    }

    [Fact]
    public async Task HashAsync_PastTheQueueBound_FailsFastWithBusy()
    {
        var passwords = New(memoryKiB: 64, passes: 1, maxConcurrent: 1, maxQueued: 0);
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var holder = Task.Run(() => passwords.Gated(() =>
        {
            entered.Set();
            release.Wait(TimeSpan.FromSeconds(30));
            return 0;
        }));
        Assert.True(entered.Wait(TimeSpan.FromSeconds(30)));

        await Assert.ThrowsAsync<PasswordHashingBusyException>(() => passwords.HashAsync(Password));

        release.Set();
        await holder;
    }

    [Fact]
    public async Task HashAsync_AfterTheQueueDrains_IsServedAgain()
    {
        var passwords = New(memoryKiB: 64, passes: 1, maxConcurrent: 1, maxQueued: 0);
        await passwords.Gated(() => 0);

        Assert.StartsWith("$argon2id$", await passwords.HashAsync(Password));
    }

    [Theory]
    [InlineData(7, 2)]
    [InlineData(19_456, 0)]
    public void Validate_CostBelowTheFloor_IsRejected(int memoryKiB, int passes)
    {
        var options = new SessionsSiloOptions { PasswordHashing = { MemoryKiB = memoryKiB, Passes = passes } };

        Assert.Contains(options.Validate(), e => e.StartsWith("Sessions:PasswordHashing:", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(4, -1)]
    public void Validate_ConcurrencyOutOfRange_IsRejected(int maxConcurrent, int maxQueued)
    {
        var options = new SessionsSiloOptions { PasswordHashing = { MaxConcurrent = maxConcurrent, MaxQueued = maxQueued } };

        Assert.Contains(options.Validate(), e => e.StartsWith("Sessions:PasswordHashing:Max", StringComparison.Ordinal));
    }

    private static PasswordHashing New(int? memoryKiB = null, int? passes = null, int? maxConcurrent = null, int? maxQueued = null)
    {
        var options = new SessionsSiloOptions();
        options.PasswordHashing.MemoryKiB = memoryKiB ?? options.PasswordHashing.MemoryKiB;
        options.PasswordHashing.Passes = passes ?? options.PasswordHashing.Passes;
        options.PasswordHashing.MaxConcurrent = maxConcurrent ?? options.PasswordHashing.MaxConcurrent;
        options.PasswordHashing.MaxQueued = maxQueued ?? options.PasswordHashing.MaxQueued;
        return new PasswordHashing(Options.Create(options), NullLogger<PasswordHashing>.Instance);
    }
}
