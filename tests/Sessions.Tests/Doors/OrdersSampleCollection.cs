namespace Sessions.Tests.Doors;

[CollectionDefinition(Name)]
public sealed class OrdersSampleCollection : ICollectionFixture<OrdersSample>
{
    public const string Name = "orders-sample";
}
