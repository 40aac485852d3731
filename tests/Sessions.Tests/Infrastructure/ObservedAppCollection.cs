namespace Sessions.Tests.Infrastructure;

/// <summary>Metrics and audit tests share one observed service; they run one at a time, so counter deltas are exact.</summary>
[CollectionDefinition(Name)]
public sealed class ObservedAppCollection : ICollectionFixture<ObservedSessionsApp>
{
    public const string Name = "observed-app";
}
