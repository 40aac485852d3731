namespace Sessions.Tests.Infrastructure;

/// <summary>HTTP tests share one running service; each test makes its own users.</summary>
[CollectionDefinition(Name)]
public sealed class AppCollection : ICollectionFixture<SessionsApp>
{
    public const string Name = "app";
}
