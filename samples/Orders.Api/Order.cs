namespace Orders.Api;

public sealed record Order(string Id, decimal Total);
