using System.Buffers.Binary;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Sessions.Grains;
using Sessions.Grains.Users;

namespace Sessions.Tests.Grains;

public sealed class PasswordsTests
{
    private const string Password = "correct horse battery";
    // KeyDerivationPrf.HMACSHA512, as the v3 header stores it.
    private const int KeyDerivationPrfSha512 = 2;

    [Fact]
    public void Hash_DefaultOptions_IsV3WithSha512And100000Iterations()
    {
        var hash = Convert.FromBase64String(WithIterations(null).Hash(Password));

        Assert.Equal(0x01, hash[0]); // v3 format marker
        Assert.Equal((uint)KeyDerivationPrfSha512, BinaryPrimitives.ReadUInt32BigEndian(hash.AsSpan(1)));
        Assert.Equal(100_000u, BinaryPrimitives.ReadUInt32BigEndian(hash.AsSpan(5)));
    }

    [Fact]
    public void Hash_ConfiguredIterations_RecordsThemInTheHash()
    {
        var hash = Convert.FromBase64String(WithIterations(3).Hash(Password));

        Assert.Equal(3u, BinaryPrimitives.ReadUInt32BigEndian(hash.AsSpan(5)));
    }

    [Fact]
    public void Verify_HashWithFewerIterationsThanConfigured_SucceedsAndAsksForRehash()
    {
        var hash = WithIterations(1).Hash(Password);

        Assert.Equal(PasswordVerificationResult.SuccessRehashNeeded, WithIterations(10).Verify(hash, Password));
    }

    [Fact]
    public void Verify_HashWithMoreIterationsThanConfigured_Succeeds()
    {
        var hash = WithIterations(10).Hash(Password);

        Assert.Equal(PasswordVerificationResult.Success, WithIterations(1).Verify(hash, Password));
    }

    [Fact]
    public void Verify_WrongPasswordAtFewIterations_Fails()
    {
        var hash = WithIterations(1).Hash(Password);

        Assert.Equal(PasswordVerificationResult.Failed, WithIterations(1).Verify(hash, "wrong horse battery"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Validate_IterationsBelowOne_IsRejected(int iterations)
    {
        var options = new SessionsOptions { PasswordHashing = { Iterations = iterations } };

        Assert.Contains(options.Validate(), e => e.StartsWith("Sessions:PasswordHashing:Iterations", StringComparison.Ordinal));
    }

    private static Passwords WithIterations(int? iterations)
    {
        var options = new SessionsOptions();
        if (iterations is { } i)
            options.PasswordHashing.Iterations = i;
        return new Passwords(Options.Create(options), NullLogger<Passwords>.Instance);
    }
}
