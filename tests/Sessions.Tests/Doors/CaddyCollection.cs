namespace Sessions.Tests.Doors;

[CollectionDefinition(Name)]
public sealed class CaddyCollection : ICollectionFixture<CaddyForwardAuth>
{
    public const string Name = "caddy";
}
