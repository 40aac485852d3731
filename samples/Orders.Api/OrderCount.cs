namespace Orders.Api;

public sealed record OrderCount(string OwnerId, int Orders);
