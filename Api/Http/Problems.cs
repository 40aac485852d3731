using Microsoft.AspNetCore.Mvc;

namespace Sessions.Api.Http;

/// <summary>RFC 9457 problem documents written straight to a response.</summary>
internal static class Problems
{
    public const int RetryAfterSeconds = 2;

    public static Task Write(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(
            new ProblemDetails { Type = TypeFor(status), Title = title, Status = status, Detail = detail },
            options: null, contentType: "application/problem+json");
    }

    public static Task ServiceUnavailable(HttpContext context)
    {
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString();
        return Write(context, StatusCodes.Status503ServiceUnavailable, "Service Unavailable",
            "The session service cannot reach its cluster or storage right now; nothing was changed. Retry shortly.");
    }

    public static ProblemHttpResult Result(int status, string title, string detail) =>
        TypedResults.Problem(detail, statusCode: status, title: title, type: TypeFor(status));

    /// <summary>A problem for a request body that could not be read (400, 413 or 415).</summary>
    public static ProblemHttpResult Unreadable(int status, string detail) => Result(status, status switch
    {
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        _ => "Bad Request",
    }, detail);

    public static ProblemHttpResult BadRequest(string detail) => Result(StatusCodes.Status400BadRequest, "Bad Request", detail);

    public static ProblemHttpResult NotFound(string detail) => Result(StatusCodes.Status404NotFound, "Not Found", detail);

    /// <summary>The detail of an answer the framework gives on its own (no route, wrong method, ...).</summary>
    public static string DetailFor(int status) => status switch
    {
        404 => "No resource at this path; /openapi/v1.json lists every route.",
        405 => "This path does not take this method; the Allow header lists the ones it does.",
        _ => "The request could not be served; /openapi/v1.json describes every route.",
    };

    public static string TypeFor(int status) => status switch
    {
        400 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.1",
        401 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.2",
        403 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4",
        404 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5",
        405 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.6",
        409 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.10",
        413 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.14",
        415 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.16",
        429 => "https://www.rfc-editor.org/rfc/rfc6585#section-4",
        500 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.1",
        503 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.4",
        _ => "about:blank",
    };
}
