namespace Sessions.Hosting;

/// <summary>
/// `probe [url]`: exits 0 if the URL answers 2xx within five seconds, else 1. Container healthchecks use it,
/// because the ASP.NET Core runtime image has no curl or wget.
/// </summary>
public static class HealthProbe
{
    public const string Verb = "probe";
    public const string DefaultUrl = "http://127.0.0.1:8080/health/ready";

    public static async Task<int> RunAsync(string? url, TextWriter output)
    {
        if (!Uri.TryCreate(url ?? DefaultUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            await output.WriteLineAsync($"probe: not an http(s) URL: {url}");
            return 2;
        }
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync(uri);
            await output.WriteLineAsync($"probe: {uri} answered {(int)response.StatusCode}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            await output.WriteLineAsync($"probe: {uri} did not answer: {exception.Message}");
            return 1;
        }
    }
}
