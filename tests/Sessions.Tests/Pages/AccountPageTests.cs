using System.Net;
using Microsoft.Playwright;
using Sessions.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Sessions.Tests.Pages;

[Collection(PagesCollection.Name)]
public sealed class AccountPageTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly List<IBrowserContext> _devices = [];
    private SessionsClient _http = null!;

    public Task InitializeAsync()
    {
        _http = new SessionsClient(new HttpClient { BaseAddress = browser.BaseAddress });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var device in _devices)
            await device.DisposeAsync();
        _http.Dispose();
    }

    private async Task<AccountPage> OpenOnNewDevice()
    {
        var device = await browser.NewDevice();
        _devices.Add(device);
        return await AccountPage.Open(device);
    }

    private async Task<string> NewUser()
    {
        var username = PageUsers.NewUsername();
        await _http.Register(username);
        return username;
    }

    [Fact]
    public async Task SignIn_OnTwoDevices_EachSeesBothAndMarksItself()
    {
        var username = await NewUser();
        var laptop = await OpenOnNewDevice();
        var phone = await OpenOnNewDevice();
        await laptop.Screenshot("account-sign-in");

        await laptop.SignIn(username, SessionsClient.Password, "Laptop");
        await Expect(laptop.Sessions).ToHaveCountAsync(1);
        await phone.SignIn(username, SessionsClient.Password, "Phone");
        await laptop.Click("Refresh list");

        await Expect(laptop.SignedInAs).ToHaveTextAsync(username);
        await Expect(laptop.Sessions).ToHaveCountAsync(2);
        await Expect(phone.Sessions).ToHaveCountAsync(2);
        await Expect(laptop.Current).ToContainTextAsync("Laptop");
        await Expect(phone.Current).ToContainTextAsync("Phone");
        await Expect(laptop.Current).ToHaveCountAsync(1);
        await Expect(phone.Current).ToHaveCountAsync(1);
        await laptop.Screenshot("account-two-devices");
        Assert.Empty(laptop.ScriptProblems);
        Assert.Empty(phone.ScriptProblems);
    }

    [Fact]
    public async Task SignOutDevice_FromTheOtherDevice_ItsTokenStopsWorkingAndItsPageSignsOut()
    {
        var username = await NewUser();
        var laptop = await OpenOnNewDevice();
        var phone = await OpenOnNewDevice();
        var laptopToken = (await laptop.SignIn(username, SessionsClient.Password, "Laptop"))!.AccessToken;
        await phone.SignIn(username, SessionsClient.Password, "Phone");
        await Expect(phone.Sessions).ToHaveCountAsync(2);
        Assert.Equal(HttpStatusCode.OK, await _http.StatusOf(_http.Get("/me", laptopToken)));

        await phone.SignOutDevice("Laptop");

        await Expect(phone.Sessions).ToHaveCountAsync(1);
        await Expect(phone.Session("Laptop")).ToHaveCountAsync(0);
        await Expect(phone.Notice).ToHaveTextAsync("Signed out Laptop.");
        await phone.Screenshot("account-other-device-signed-out");
        Assert.Equal(HttpStatusCode.Unauthorized, await _http.StatusOf(_http.Get("/me", laptopToken)));
        await laptop.Click("Refresh list");
        await Expect(laptop.SignInForm).ToBeVisibleAsync();
        await Expect(laptop.Notice).ToContainTextAsync("This device is signed out");
        await Expect(laptop.Sessions).ToHaveCountAsync(0);
        await laptop.Screenshot("account-signed-out-remotely");
        Assert.Empty(laptop.ScriptProblems);
        Assert.Empty(phone.ScriptProblems);
    }

    [Fact]
    public async Task SignOutAllOthers_EndsEveryOtherDeviceAndKeepsThisOne()
    {
        var username = await NewUser();
        var tablet = await _http.Login(username, deviceId: "tablet", deviceName: "Tablet");
        var phone = await _http.Login(username, deviceId: "phone", deviceName: "Phone");
        var laptop = await OpenOnNewDevice();
        var laptopToken = (await laptop.SignIn(username, SessionsClient.Password, "Laptop"))!.AccessToken;
        await Expect(laptop.Sessions).ToHaveCountAsync(3);

        await laptop.Click("Sign out all other devices");

        await Expect(laptop.Notice).ToHaveTextAsync("Every other device is signed out.");
        await Expect(laptop.Sessions).ToHaveCountAsync(1);
        await Expect(laptop.Current).ToContainTextAsync("Laptop");
        Assert.Equal(HttpStatusCode.Unauthorized, await _http.StatusOf(_http.Get("/me", tablet.AccessToken)));
        Assert.Equal(HttpStatusCode.Unauthorized, await _http.StatusOf(_http.Get("/me", phone.AccessToken)));
        Assert.Equal(HttpStatusCode.OK, await _http.StatusOf(_http.Get("/me", laptopToken)));
        await laptop.Screenshot("account-others-signed-out");
        Assert.Empty(laptop.ScriptProblems);
    }

    [Fact]
    public async Task SignOutEverywhere_EndsEverySessionAndAsksToSignInAgain()
    {
        var username = await NewUser();
        var phone = await _http.Login(username, deviceId: "phone", deviceName: "Phone");
        var laptop = await OpenOnNewDevice();
        var laptopToken = (await laptop.SignIn(username, SessionsClient.Password, "Laptop"))!.AccessToken;
        await Expect(laptop.Sessions).ToHaveCountAsync(2);

        await laptop.Click("Sign out everywhere");

        await Expect(laptop.SignInForm).ToBeVisibleAsync();
        await Expect(laptop.Notice).ToHaveTextAsync("Signed out everywhere, this device included.");
        Assert.Equal(HttpStatusCode.Unauthorized, await _http.StatusOf(_http.Get("/me", laptopToken)));
        Assert.Equal(HttpStatusCode.Unauthorized, await _http.StatusOf(_http.Get("/me", phone.AccessToken)));
        Assert.Equal(HttpStatusCode.BadRequest, await _http.StatusOf(_http.Refresh(phone.RefreshToken)));
        await laptop.Screenshot("account-signed-out-everywhere");
        Assert.Empty(laptop.ScriptProblems);
    }

    [Fact]
    public async Task SignOut_ThisDevice_EndsItsSession()
    {
        var username = await NewUser();
        var laptop = await OpenOnNewDevice();
        var laptopToken = (await laptop.SignIn(username, SessionsClient.Password, "Laptop"))!.AccessToken;
        await Expect(laptop.Sessions).ToHaveCountAsync(1);

        await laptop.Click("Sign out");

        await Expect(laptop.SignInForm).ToBeVisibleAsync();
        await Expect(laptop.Notice).ToHaveTextAsync("Signed out of this device.");
        Assert.Equal(HttpStatusCode.Unauthorized, await _http.StatusOf(_http.Get("/me", laptopToken)));
    }

    [Fact]
    public async Task ChangePassword_WithTheCurrentPassword_SignsOutOtherDevicesAndTheNewPasswordWorks()
    {
        const string newPassword = "a brand new passphrase";
        var username = await NewUser();
        var phone = await _http.Login(username, deviceId: "phone", deviceName: "Phone");
        var laptop = await OpenOnNewDevice();
        var laptopToken = (await laptop.SignIn(username, SessionsClient.Password, "Laptop"))!.AccessToken;
        await Expect(laptop.Sessions).ToHaveCountAsync(2);

        await laptop.ChangePassword(SessionsClient.Password, newPassword);

        await Expect(laptop.Notice).ToHaveTextAsync("Password changed. Every other device is signed out.");
        await Expect(laptop.Sessions).ToHaveCountAsync(1);
        Assert.Equal(HttpStatusCode.Unauthorized, await _http.StatusOf(_http.Get("/me", phone.AccessToken)));
        Assert.Equal(HttpStatusCode.OK, await _http.StatusOf(_http.Get("/me", laptopToken)));
        Assert.Equal(HttpStatusCode.BadRequest, await _http.StatusOf(_http.PostToken(
            ("grant_type", "password"), ("username", username), ("password", SessionsClient.Password))));
        await _http.Login(username, newPassword);
        await laptop.Screenshot("account-password-changed");
        Assert.Empty(laptop.ScriptProblems);
    }

    [Fact]
    public async Task ChangePassword_WrongCurrentPassword_ShowsTheServersReasonAndChangesNothing()
    {
        var username = await NewUser();
        var laptop = await OpenOnNewDevice();
        await laptop.SignIn(username, SessionsClient.Password, "Laptop");
        await Expect(laptop.Sessions).ToHaveCountAsync(1);

        await laptop.ChangePassword("not my password", "a brand new passphrase");

        await Expect(laptop.Notice).ToHaveTextAsync("The current password is wrong.");
        await Expect(laptop.Notice).ToHaveAttributeAsync("role", "alert");
        await _http.Login(username);
    }

    [Fact]
    public async Task ChangePassword_ConfirmationDiffers_IsCaughtOnThePageWithoutACall()
    {
        var username = await NewUser();
        var laptop = await OpenOnNewDevice();
        await laptop.SignIn(username, SessionsClient.Password, "Laptop");
        await Expect(laptop.Sessions).ToHaveCountAsync(1);
        var calls = 0;
        laptop.Page.Request += (_, request) => calls += request.Url.EndsWith("/me/password", StringComparison.Ordinal) ? 1 : 0;

        await laptop.ChangePassword(SessionsClient.Password, "a brand new passphrase", "a different passphrase");

        await Expect(laptop.Notice).ToHaveTextAsync("The two new passwords differ.");
        Assert.Equal(0, calls);
        await _http.Login(username);
    }

    [Fact]
    public async Task SignIn_WrongPassword_ShowsWhyAndStaysSignedOut()
    {
        var username = await NewUser();
        var laptop = await OpenOnNewDevice();

        var tokens = await laptop.SignIn(username, "not the password");

        Assert.Null(tokens);
        await Expect(laptop.Notice).ToHaveTextAsync("The username or password is incorrect, or the account cannot sign in right now.");
        await Expect(laptop.Notice).ToHaveAttributeAsync("role", "alert");
        await Expect(laptop.SignInForm).ToBeVisibleAsync();
        await laptop.Screenshot("account-sign-in-failed");
    }

    [Theory]
    [InlineData(429, "Too many attempts from this address. Try again in 42 seconds.")]
    [InlineData(503, "The service is unavailable right now and nothing was changed; try again shortly. Cluster unreachable.")]
    public async Task SignIn_ServiceRefuses_ShowsAClearMessage(int status, string message)
    {
        var laptop = await OpenOnNewDevice();
        // The real limiter and fault paths have their own HTTP tests; here only the page's reading of them is at stake.
        await laptop.Page.RouteAsync("**/oauth/token", route => route.FulfillAsync(new RouteFulfillOptions
        {
            Status = status,
            ContentType = "application/problem+json",
            Headers = new Dictionary<string, string> { ["Retry-After"] = "42" },
            Body = $$"""{"type":"about:blank","title":"Refused","status":{{status}},"detail":"Cluster unreachable."}""",
        }));

        await laptop.SignIn("someone", "whatever-password");

        await Expect(laptop.Notice).ToHaveTextAsync(message);
        await Expect(laptop.SignInForm).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Tokens_AfterSignIn_AreInNoBrowserStorage()
    {
        var username = await NewUser();
        var laptop = await OpenOnNewDevice();
        var tokens = await laptop.SignIn(username, SessionsClient.Password, "Laptop");
        await Expect(laptop.Sessions).ToHaveCountAsync(1);

        var stored = await laptop.Page.EvaluateAsync<string>(
            "() => JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage }, cookies: document.cookie })");
        var cookies = await laptop.Page.Context.CookiesAsync();

        Assert.NotNull(tokens);
        Assert.DoesNotContain(tokens.AccessToken, stored);
        Assert.DoesNotContain(tokens.RefreshToken, stored);
        Assert.Contains("sessions.deviceId", stored);
        Assert.Empty(cookies);
    }

    [Fact]
    public async Task DeviceName_WithMarkup_IsShownAsPlainText()
    {
        const string hostile = "<img src=x onerror=\"document.title='pwned'\">";
        var username = await NewUser();
        await _http.Login(username, deviceId: "hostile", deviceName: hostile);
        var laptop = await OpenOnNewDevice();

        await laptop.SignIn(username, SessionsClient.Password, "Laptop");

        await Expect(laptop.Sessions).ToHaveCountAsync(2);
        await Expect(laptop.Session("hostile").Locator(".device-name")).ToHaveTextAsync(hostile);
        await Expect(laptop.Page.Locator("#sessions img")).ToHaveCountAsync(0);
        Assert.Equal("Your devices · Sessions", await laptop.Page.TitleAsync());
        await laptop.Screenshot("account-hostile-device-name");
        Assert.Empty(laptop.ScriptProblems);
    }
}
