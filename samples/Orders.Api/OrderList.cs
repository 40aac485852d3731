using Sessions.Api.Auth;

namespace Orders.Api;

public sealed record OrderList(string OwnerId, string OwnerName, Order[] Orders)
{
    /// <summary>The caller's orders; a real API would read them from its own store.</summary>
    public static OrderList Of(SessionAccess caller) => new(caller.UserId, caller.Username, [new Order("o-1", 42.50m)]);
}
