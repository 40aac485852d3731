using System.Net;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.Playwright;
using Sessions.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Sessions.Tests.Pages;

[Collection(PagesCollection.Name)]
public sealed class AdminConsolePageTests(BrowserFixture browser) : IAsyncLifetime
{
    private IBrowserContext _device = null!;
    private SessionsClient _http = null!;

    public async Task InitializeAsync()
    {
        _http = new SessionsClient(new HttpClient { BaseAddress = browser.BaseAddress });
        _device = await browser.NewDevice();
    }

    public async Task DisposeAsync()
    {
        await _device.DisposeAsync();
        _http.Dispose();
    }

    /// <summary>A user signed in on two devices over plain HTTP, and the console signed in as the bootstrap admin.</summary>
    private async Task<(string Username, Tokens Laptop, Tokens Phone, AdminConsolePage Console)> UserOnTwoDevicesAndAdmin()
    {
        var username = PageUsers.NewUsername();
        await _http.Register(username);
        var laptop = await _http.Login(username, deviceId: "laptop-1", deviceName: "Laptop");
        var phone = await _http.Login(username, deviceId: "phone-1", deviceName: "Phone");
        var console = await AdminConsolePage.Open(_device);
        await console.SignIn(SessionsApp.AdminUsername, SessionsApp.AdminPassword);
        await Expect(console.SignedInAs).ToHaveTextAsync(SessionsApp.AdminUsername);
        return (username, laptop, phone, console);
    }

    private async Task<List<string>> JwksKids()
    {
        using var response = await _http.Get("/.well-known/jwks.json", accessToken: null);
        return [.. (await SessionsClient.Json(response)).GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()!)];
    }

    [Fact]
    public async Task FindUser_ShowsTheAccountAndItsSessions()
    {
        var (username, _, _, console) = await UserOnTwoDevicesAndAdmin();

        await console.FindUser(username);

        await Expect(console.UserName).ToHaveTextAsync(username);
        await Expect(console.UserStatus).ToHaveTextAsync("Enabled");
        await Expect(console.Sessions).ToHaveCountAsync(2);
        await Expect(console.Session("Laptop")).ToContainTextAsync("laptop-1");
        await Expect(console.Session("Phone")).ToContainTextAsync("phone-1");
        await Expect(console.Keys).Not.ToHaveCountAsync(0);
        await console.Screenshot("admin-user");
        Assert.Empty(console.ScriptProblems);
    }

    [Fact]
    public async Task FindUser_Unknown_SaysSo()
    {
        var (_, _, _, console) = await UserOnTwoDevicesAndAdmin();

        await console.FindUser("nobody-" + Guid.NewGuid().ToString("N")[..8]);

        await Expect(console.Notice).ToHaveTextAsync("No user has that username.");
        await Expect(console.UserName).Not.ToBeVisibleAsync();
    }

    [Fact]
    public async Task RevokeEverything_EndsEverySessionAndRejectsTheUsersTokens()
    {
        var (username, laptop, phone, console) = await UserOnTwoDevicesAndAdmin();
        await console.FindUser(username);
        await Expect(console.Sessions).ToHaveCountAsync(2);

        await console.Click("Revoke everything");

        await Expect(console.Notice).ToHaveTextAsync($"Revoked every session and token of {username}.");
        await Expect(console.Sessions).ToHaveCountAsync(0);
        await Expect(console.Page.Locator("#no-sessions")).ToBeVisibleAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, await _http.StatusOf(_http.Get("/me", laptop.AccessToken)));
        Assert.Equal(HttpStatusCode.Unauthorized, await _http.StatusOf(_http.Get("/me", phone.AccessToken)));
        Assert.Equal(HttpStatusCode.BadRequest, await _http.StatusOf(_http.Refresh(phone.RefreshToken)));
        await console.Screenshot("admin-user-revoked");
        Assert.Empty(console.ScriptProblems);
    }

    [Fact]
    public async Task EndSession_EndsOnlyThatSession()
    {
        var (username, laptop, phone, console) = await UserOnTwoDevicesAndAdmin();
        await console.FindUser(username);
        await Expect(console.Sessions).ToHaveCountAsync(2);

        await console.Session("Laptop").GetByRole(AriaRole.Button, new() { Name = "End session on Laptop" }).ClickAsync();

        await Expect(console.Sessions).ToHaveCountAsync(1);
        await Expect(console.Session("Phone")).ToHaveCountAsync(1);
        Assert.Equal(HttpStatusCode.Unauthorized, await _http.StatusOf(_http.Get("/me", laptop.AccessToken)));
        Assert.Equal(HttpStatusCode.OK, await _http.StatusOf(_http.Get("/me", phone.AccessToken)));
    }

    [Fact]
    public async Task SignOutDevice_EndsThatDevicesSessionOnly()
    {
        var (username, laptop, phone, console) = await UserOnTwoDevicesAndAdmin();
        await console.FindUser(username);
        await Expect(console.Sessions).ToHaveCountAsync(2);

        await console.Session("Phone").GetByRole(AriaRole.Button, new() { Name = "Sign out device phone-1" }).ClickAsync();

        await Expect(console.Notice).ToHaveTextAsync($"Signed {username} out of device phone-1.");
        await Expect(console.Sessions).ToHaveCountAsync(1);
        Assert.Equal(HttpStatusCode.Unauthorized, await _http.StatusOf(_http.Get("/me", phone.AccessToken)));
        Assert.Equal(HttpStatusCode.OK, await _http.StatusOf(_http.Get("/me", laptop.AccessToken)));
    }

    [Fact]
    public async Task DisableThenEnable_BlocksSignInUntilEnabled()
    {
        var (username, laptop, _, console) = await UserOnTwoDevicesAndAdmin();
        await console.FindUser(username);
        await Expect(console.UserStatus).ToHaveTextAsync("Enabled");

        await console.Click("Disable account");

        await Expect(console.UserStatus).ToHaveTextAsync("Disabled");
        await Expect(console.Sessions).ToHaveCountAsync(0);
        await console.Screenshot("admin-user-disabled");
        Assert.Equal(HttpStatusCode.Unauthorized, await _http.StatusOf(_http.Get("/me", laptop.AccessToken)));
        Assert.Equal(HttpStatusCode.BadRequest, await _http.StatusOf(_http.PostToken(
            ("grant_type", "password"), ("username", username), ("password", SessionsClient.Password))));

        await console.Click("Enable account");

        await Expect(console.UserStatus).ToHaveTextAsync("Enabled");
        await _http.Login(username);
        Assert.Empty(console.ScriptProblems);
    }

    [Fact]
    public async Task RotateThenRetire_ChangesTheJwksAndTheConsoleCarriesOn()
    {
        var username = PageUsers.NewUsername();
        await _http.Register(username);
        var console = await AdminConsolePage.Open(_device);
        var admin = await console.SignIn(SessionsApp.AdminUsername, SessionsApp.AdminPassword);
        var oldKid = new JsonWebToken(admin!.AccessToken).Kid;
        await Expect(console.Key(oldKid)).ToBeVisibleAsync();

        var rotation = await console.Page.RunAndWaitForResponseAsync(() => console.Click("Rotate"),
            r => r.Url.EndsWith("/admin/signing-keys/rotate", StringComparison.Ordinal));
        var newKid = (await rotation.JsonAsync())!.Value.GetProperty("kid").GetString()!;

        await Expect(console.Key(newKid)).ToContainTextAsync("New");
        await Expect(console.Notice).ToHaveTextAsync($"New tokens are now signed with key {newKid}.");
        Assert.Contains(newKid, await JwksKids());
        Assert.Contains(oldKid, await JwksKids());
        await console.Screenshot("admin-key-rotated");

        await console.Key(oldKid).GetByRole(AriaRole.Button, new() { Name = $"Retire key {oldKid}" }).ClickAsync();

        await Expect(console.Notice).ToHaveTextAsync($"Retired key {oldKid}.");
        await Expect(console.Key(oldKid)).ToHaveCountAsync(0);
        Assert.DoesNotContain(oldKid, await JwksKids());
        Assert.Contains(newKid, await JwksKids());
        Assert.Equal(HttpStatusCode.Unauthorized, await _http.StatusOf(_http.Get("/me", admin.AccessToken)));
        // The console's own token died with its key; it refreshes (refresh tokens are not signed) and goes on.
        await console.FindUser(username);
        await Expect(console.UserName).ToHaveTextAsync(username);
        await console.Screenshot("admin-key-retired");
        Assert.Empty(console.ScriptProblems);
    }

    [Fact]
    public async Task SignIn_NotAnAdmin_IsTurnedAwayAndLeavesNoSession()
    {
        var username = PageUsers.NewUsername();
        var userId = await _http.Register(username);
        var console = await AdminConsolePage.Open(_device);
        await console.Screenshot("admin-sign-in");

        await console.SignIn(username, SessionsClient.Password);

        await Expect(console.Notice).ToHaveTextAsync($"{username} is not an administrator; this console needs an account with the admin role.");
        await Expect(console.SignInForm).ToBeVisibleAsync();
        var admin = await _http.AdminLogin();
        using var sessions = await _http.Get($"/admin/users/{userId}/sessions", admin.AccessToken);
        Assert.Equal(0, (await SessionsClient.Json(sessions)).GetArrayLength());
    }

    [Fact]
    public async Task DeviceName_WithMarkup_IsShownAsPlainText()
    {
        const string hostile = "<img src=x onerror=\"document.title='pwned'\">";
        var username = PageUsers.NewUsername();
        await _http.Register(username);
        await _http.Login(username, deviceId: "hostile", deviceName: hostile);
        var console = await AdminConsolePage.Open(_device);
        await console.SignIn(SessionsApp.AdminUsername, SessionsApp.AdminPassword);

        await console.FindUser(username);

        await Expect(console.Session("hostile").Locator(".device-name")).ToHaveTextAsync(hostile);
        await Expect(console.Page.Locator("#user-sessions img")).ToHaveCountAsync(0);
        Assert.Equal("Admin console · Sessions", await console.Page.TitleAsync());
        Assert.Empty(console.ScriptProblems);
    }
}
