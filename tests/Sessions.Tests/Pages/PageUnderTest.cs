using Microsoft.Playwright;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Pages;

/// <summary>What the account page and the admin console have in common, as a person sees it.</summary>
public abstract class PageUnderTest
{
    private readonly List<string> _scriptProblems = [];

    protected PageUnderTest(IPage page)
    {
        Page = page;
        // A confirm() asks before a drastic step; the person in these tests always says yes.
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        page.PageError += (_, error) => _scriptProblems.Add("uncaught: " + error);
        page.Console += (_, message) =>
        {
            // CSP violations only show up on the console; any of them means a page relies on something the policy forbids.
            if (message.Type == "error" && message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
                _scriptProblems.Add("csp: " + message.Text);
        };
    }

    public IPage Page { get; }

    /// <summary>Uncaught script errors and CSP violations seen so far; a healthy page has none.</summary>
    public IReadOnlyList<string> ScriptProblems => _scriptProblems;

    public ILocator Notice => Page.Locator("#notice");

    public ILocator SignInForm => Page.Locator("#sign-in");

    public ILocator SignedInAs => Page.Locator("#who-name");

    /// <summary>Fills the sign-in form and answers the tokens the page received (null if refused): the test's view of the wire.</summary>
    protected async Task<Tokens?> SignInCore(string username, string password, string? deviceName)
    {
        await SignInForm.GetByLabel("Username").FillAsync(username);
        await SignInForm.GetByLabel("Password").FillAsync(password);
        if (deviceName is not null)
            await SignInForm.GetByLabel("Name this device").FillAsync(deviceName);
        var response = await Page.RunAndWaitForResponseAsync(
            () => SignInForm.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync(),
            r => r.Url.EndsWith("/oauth/token", StringComparison.Ordinal) && r.Request.Method == "POST");
        if (response.Status != 200)
            return null;
        return Tokens.From((await response.JsonAsync())!.Value);
    }

    public Task Screenshot(string name) => BrowserFixture.Screenshot(Page, name);
}
