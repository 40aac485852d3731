using System.Collections.Frozen;

namespace Sessions.Api.Pages;

/// <summary>
/// The people-facing pages (/ui/account, /ui/admin): static HTML, JS and CSS embedded in this assembly that speak
/// the same HTTP contract as any other client. No server-side state and no cookies: tokens live in page memory.
/// </summary>
public static class PageEndpoints
{
    public const string Prefix = "/ui";

    // Scripts and styles only from this origin, no inline code, no framing, no plugins, no native form posts
    // (a form submitted without its script would otherwise send the password in a URL).
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
    }.ToFrozenDictionary();

    public static IEndpointRouteBuilder MapPages(this IEndpointRouteBuilder app)
    {
        var ui = app.MapGroup(Prefix).ExcludeFromDescription();
        foreach (var (route, file) in LoadFiles())
            ui.MapGet(route, (HttpContext context) => Serve(context, file));
        // Matches /ui and /ui/ alike.
        ui.MapGet("/", () => TypedResults.Redirect($"{Prefix}/account"));
        // The first thing a newcomer opens: the account page, which links the rest.
        app.MapGet("/", () => TypedResults.Redirect($"{Prefix}/account")).ExcludeFromDescription();
        return app;
    }

    private static FileContentHttpResult Serve(HttpContext context, PageFile file)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        // Pages and scripts change with each release and are tiny; never let a stale script talk to a newer API.
        headers.CacheControl = "no-store";
        return TypedResults.File(file.Content, file.ContentType);
    }

    /// <summary>Each embedded "ui/name.ext" file: pages at /ui/name, everything else at /ui/name.ext.</summary>
    private static IEnumerable<(string Route, PageFile File)> LoadFiles()
    {
        var assembly = typeof(PageEndpoints).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("ui/", StringComparison.Ordinal)))
        {
            var fileName = name["ui/".Length..];
            var extension = Path.GetExtension(fileName);
            if (!ContentTypes.TryGetValue(extension, out var contentType))
                throw new InvalidOperationException($"Embedded page file '{fileName}' has no known content type.");
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var route = "/" + (extension == ".html" ? Path.GetFileNameWithoutExtension(fileName) : fileName);
            yield return (route, new PageFile(buffer.ToArray(), contentType));
        }
    }

    private sealed record PageFile(byte[] Content, string ContentType);
}
