using Sessions.Api.Http;

namespace Sessions.Api.Auth;

/// <summary>The refusals of every door, written the same way: RFC 6750 §3 challenges, or 503 when the cluster is down.</summary>
internal static class BearerChallenge
{
    public const string MissingToken = "This endpoint needs an access token.";

    /// <summary>401 for a request with no token: a bare <c>WWW-Authenticate: Bearer</c>.</summary>
    public static Task WriteMissing(HttpContext context)
    {
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return Problems.Write(context, StatusCodes.Status401Unauthorized, "Unauthorized", MissingToken);
    }

    /// <summary>401 for a refused token; the reason is one of the validator's fixed texts, never from the token.</summary>
    public static Task WriteInvalid(HttpContext context, string reason)
    {
        context.Response.Headers.WWWAuthenticate = $"Bearer error=\"invalid_token\", error_description=\"{reason}\"";
        return Problems.Write(context, StatusCodes.Status401Unauthorized, "Unauthorized", reason);
    }

    /// <summary>The refusal for a decision that did not accept.</summary>
    public static Task Write(HttpContext context, AccessDecision decision) => decision.Verdict == AccessVerdict.Unavailable
        ? Problems.ServiceUnavailable(context)
        : WriteInvalid(context, decision.Rejection!);
}
