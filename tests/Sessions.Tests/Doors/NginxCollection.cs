namespace Sessions.Tests.Doors;

[CollectionDefinition(Name)]
public sealed class NginxCollection : ICollectionFixture<NginxForwardAuth>
{
    public const string Name = "nginx";
}
