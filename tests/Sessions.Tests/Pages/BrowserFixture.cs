using Microsoft.Playwright;

namespace Sessions.Tests.Pages;

/// <summary>
/// The service on a real socket and one headless Debian Chromium driven by Playwright. No browser is downloaded:
/// Playwright's driver ships in the build output and is pointed at the system Chromium.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string DefaultChromium = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public LiveSessionsApp App { get; } = new();

    public Uri BaseAddress { get; private set; } = null!;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser has not started.");

    /// <summary>Where screenshots go: $SESSIONS_SCREENSHOTS, else screenshots/ beside the test assembly.</summary>
    public static string ScreenshotDirectory =>
        Environment.GetEnvironmentVariable("SESSIONS_SCREENSHOTS") is { Length: > 0 } configured
            ? configured
            : Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        var chromium = Environment.GetEnvironmentVariable("SESSIONS_CHROMIUM") is { Length: > 0 } configured ? configured : DefaultChromium;
        // Fail, never skip: a missing browser must not turn the page tests into a silent pass.
        if (!File.Exists(chromium))
            throw new InvalidOperationException(
                $"The page tests drive Debian's Chromium at {chromium}, which is not installed. Run 'apt-get install chromium' (.ci/run does) " +
                "or point SESSIONS_CHROMIUM at a Chromium binary.");
        Assertions.SetDefaultExpectTimeout(15_000);
        BaseAddress = App.Start();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            // Root, no user namespaces, small /dev/shm, no GPU: what a CI container gives.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
    }

    /// <summary>A browser context is a separate device: its own storage, so its own device id.</summary>
    public Task<IBrowserContext> NewDevice() => Browser.NewContextAsync(new BrowserNewContextOptions
    {
        BaseURL = BaseAddress.ToString(),
        ViewportSize = new ViewportSize { Width = 1100, Height = 760 },
        Locale = "en-GB",
        TimezoneId = "UTC",
    });

    public static async Task Screenshot(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
            await _browser.DisposeAsync();
        _playwright?.Dispose();
        await App.DisposeAsync();
    }
}
