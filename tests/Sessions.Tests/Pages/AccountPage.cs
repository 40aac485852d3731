using Microsoft.Playwright;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Pages;

/// <summary>/ui/account, "Your devices", driven the way a person would.</summary>
public sealed class AccountPage(IPage page) : PageUnderTest(page)
{
    public const string Path = "/ui/account";

    public static async Task<AccountPage> Open(IBrowserContext device)
    {
        var page = await device.NewPageAsync();
        var account = new AccountPage(page);
        await page.GotoAsync(Path);
        return account;
    }

    /// <summary>Signs in; answers the tokens the page got, or null if sign-in failed.</summary>
    public Task<Tokens?> SignIn(string username, string password, string? deviceName = null) => SignInCore(username, password, deviceName);

    public ILocator Sessions => Page.Locator("#sessions tbody tr");

    public ILocator Session(string deviceName) => Sessions.Filter(new() { HasText = deviceName });

    public ILocator Current => Sessions.Filter(new() { Has = Page.Locator(".badge", new() { HasText = "This device" }) });

    public Task SignOutDevice(string deviceName) =>
        Session(deviceName).GetByRole(AriaRole.Button, new() { Name = $"Sign out {deviceName}" }).ClickAsync();

    public Task Click(string button) => Page.GetByRole(AriaRole.Button, new() { Name = button, Exact = true }).ClickAsync();

    public async Task ChangePassword(string current, string next, string? confirm = null)
    {
        var form = Page.Locator("#change-password");
        await form.GetByLabel("Current password").FillAsync(current);
        await form.GetByLabel("New password", new() { Exact = true }).FillAsync(next);
        await form.GetByLabel("New password again").FillAsync(confirm ?? next);
        await form.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
    }
}
