namespace Orders.Api;

public sealed record OrderList(string OwnerId, string OwnerName, Order[] Orders);
