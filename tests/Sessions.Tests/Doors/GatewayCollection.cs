namespace Sessions.Tests.Doors;

[CollectionDefinition(Name)]
public sealed class GatewayCollection : ICollectionFixture<GatewayApp>
{
    public const string Name = "gateway";
}
