namespace Sessions.Tests.Pages;

/// <summary>Page tests share one service on a real socket and one Chromium; each test makes its own users and browser contexts.</summary>
[CollectionDefinition(Name)]
public sealed class PagesCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "pages";
}
