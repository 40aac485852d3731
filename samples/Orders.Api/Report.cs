namespace Orders.Api;

public sealed record Report(int Orders);
