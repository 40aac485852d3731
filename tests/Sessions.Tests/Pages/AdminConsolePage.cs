using Microsoft.Playwright;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Pages;

/// <summary>/ui/admin, the admin console, driven the way a person would.</summary>
public sealed class AdminConsolePage(IPage page) : PageUnderTest(page)
{
    public const string Path = "/ui/admin";

    public static async Task<AdminConsolePage> Open(IBrowserContext device)
    {
        var page = await device.NewPageAsync();
        var console = new AdminConsolePage(page);
        await page.GotoAsync(Path);
        return console;
    }

    public Task<Tokens?> SignIn(string username, string password) => SignInCore(username, password, deviceName: null);

    public async Task FindUser(string username)
    {
        var form = Page.Locator("#find-user");
        await form.GetByLabel("Username").FillAsync(username);
        await form.GetByRole(AriaRole.Button, new() { Name = "Find" }).ClickAsync();
    }

    public ILocator UserName => Page.Locator("#user-name");

    public ILocator UserStatus => Page.Locator("#user-status");

    public ILocator Sessions => Page.Locator("#user-sessions tbody tr");

    public ILocator Session(string deviceName) => Sessions.Filter(new() { HasText = deviceName });

    public ILocator Keys => Page.Locator("#keys tbody tr");

    public ILocator Key(string kid) => Page.Locator($"#keys tbody tr[data-kid='{kid}']");

    public Task Click(string button) => Page.GetByRole(AriaRole.Button, new() { Name = button, Exact = true }).ClickAsync();
}
