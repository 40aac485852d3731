namespace Sessions.Tests.Doors;

[CollectionDefinition(Name)]
public sealed class GatewayReloadCollection : ICollectionFixture<GatewayReloadApp>
{
    public const string Name = "gateway-reload";
}
