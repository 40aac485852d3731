using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Pages;

/// <summary>The Orleans Dashboard the silo host serves, as an operator's browser shows it.</summary>
[Collection(PagesCollection.Name)]
public sealed class DashboardPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task Dashboard_WhileRequestsArrive_ShowsTheSiloAndTheUserGrainCalls()
    {
        using var http = new SessionsClient(new HttpClient { BaseAddress = browser.BaseAddress });
        var (_, _, tokens) = await http.NewUser();
        await using var device = await browser.NewDevice();
        var page = await device.NewPageAsync();
        var problems = new List<string>();
        page.PageError += (_, error) => problems.Add(error);

        await page.GotoAsync("/dashboard/");
        // The dashboard profiles grain calls while someone watches, and refreshes every few seconds: keep calling until it shows them.
        await Eventually.Succeeds(async () =>
        {
            for (var i = 0; i < 20; i++)
                await http.Get("/me", tokens.AccessToken);
            var shown = await page.Locator("body").TextContentAsync() ?? "";
            return shown.Contains("Active Silos1") && shown.Contains("UserGrain");
        }, TimeSpan.FromSeconds(60), "the dashboard lists UserGrain calls");

        await BrowserFixture.Screenshot(page, "dashboard");
        Assert.Empty(problems);
    }
}
