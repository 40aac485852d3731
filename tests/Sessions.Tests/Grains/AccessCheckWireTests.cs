using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Sessions.Grains;

namespace Sessions.Tests.Grains;

/// <summary>
/// What one request's check puts on the wire between an Api host and a silo, besides Orleans' own message header: a
/// guard on the sizes, so a field added to either record is a visible choice. Ids are 32 hex characters each.
/// </summary>
public sealed class AccessCheckWireTests : IDisposable
{
    private const string Id32 = "0123456789abcdef0123456789abcdef";
    private const string OtherId32 = "fedcba9876543210fedcba9876543210";

    private readonly ServiceProvider _services = new ServiceCollection().AddSerializer().BuildServiceProvider();

    private Serializer Serializer => _services.GetRequiredService<Serializer>();

    [Fact]
    public void Serialize_Check_Is91Bytes() =>
        // Two ids (about 34 bytes each with their length and field headers) and the iat as a DateTimeOffset.
        Assert.Equal(91, Serializer.SerializeToArray(new AccessCheck(Id32, OtherId32, new DateTimeOffset(2026, 12, 2, 4, 0, 0, TimeSpan.Zero))).Length);

    [Fact]
    public void Serialize_LiveResultWithoutRoles_Is48Bytes() =>
        // Mostly the device id (34 bytes); the username here is five letters.
        Assert.Equal(48, Serializer.SerializeToArray(new AccessCheckResult(AccessDenial.None, "alice", Id32, [])).Length);

    [Fact]
    public void Serialize_LiveResultWithOneRole_Is57Bytes() =>
        Assert.Equal(57, Serializer.SerializeToArray(new AccessCheckResult(AccessDenial.None, "alice", Id32, ["admin"])).Length);

    [Fact]
    public void Serialize_Denial_IsSmallerThanAnyLiveResult() =>
        Assert.True(Serializer.SerializeToArray(AccessCheckResult.Denied(AccessDenial.TokenRevoked)).Length < 48);

    public void Dispose() => _services.Dispose();
}
