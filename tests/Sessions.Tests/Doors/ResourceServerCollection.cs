namespace Sessions.Tests.Doors;

[CollectionDefinition(Name)]
public sealed class ResourceServerCollection : ICollectionFixture<ResourceServerApp>
{
    public const string Name = "resource-servers";
}
