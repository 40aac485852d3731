using System.Net;
using System.Text.RegularExpressions;

namespace Sessions.Tests.Pages;

[Collection(PagesCollection.Name)]
public sealed partial class PageHeadersTests(BrowserFixture browser)
{
    [Theory]
    [InlineData("/ui/account", "text/html")]
    [InlineData("/ui/admin", "text/html")]
    [InlineData("/ui/common.js", "text/javascript")]
    [InlineData("/ui/account.js", "text/javascript")]
    [InlineData("/ui/admin.js", "text/javascript")]
    [InlineData("/ui/pages.css", "text/css")]
    [InlineData("/ui/icon.svg", "image/svg+xml")]
    public async Task PageFile_IsServedWithStrictSecurityHeaders(string path, string mediaType)
    {
        using var http = new HttpClient { BaseAddress = browser.BaseAddress };

        using var response = await http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType!.MediaType);
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.StartsWith("default-src 'self';", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("script-src 'self';", csp);
        Assert.DoesNotContain("unsafe", csp);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.True(response.Headers.CacheControl!.NoStore);
    }

    [Theory]
    [InlineData("/ui/account")]
    [InlineData("/ui/admin")]
    public async Task Page_HasNoInlineScriptOrHandler(string path)
    {
        using var http = new HttpClient { BaseAddress = browser.BaseAddress };

        var html = await http.GetStringAsync(path);

        Assert.DoesNotMatch(InlineScript(), html);
        Assert.DoesNotMatch(InlineHandler(), html);
        Assert.DoesNotContain("style=", html);
    }

    [Theory]
    [InlineData("/ui")]
    [InlineData("/ui/")]
    public async Task UiRoot_RedirectsToTheAccountPage(string path)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = browser.BaseAddress };

        using var response = await http.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/ui/account", response.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("/ui/nothing-here")]
    [InlineData("/ui/account.html")]
    public async Task UnknownPageFile_Returns404(string path)
    {
        using var http = new HttpClient { BaseAddress = browser.BaseAddress };

        using var response = await http.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [GeneratedRegex(@"<script(?![^>]*\bsrc=)", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    [GeneratedRegex(@"\son[a-z]+\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex InlineHandler();
}
