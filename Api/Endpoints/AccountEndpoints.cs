using Microsoft.Extensions.Options;
using Sessions.Api.Http;
using Sessions.Api.OpenApi;
using Sessions.Grains;

namespace Sessions.Api.Endpoints;

public sealed record RegisterRequest(string? Username, string? Password);

public sealed record RegisterResponse(string UserId, string Username);

/// <summary>Self-registration.</summary>
public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/auth/register", Register)
            .WithTags("Accounts")
            .RequireRateLimiting(SessionsApiExtensions.TokenRateLimit)
            .DisableAntiforgery()
            .WithName("Register")
            .WithSummary("Creates an account; usernames are unique case-insensitively after Unicode normalisation, and must not look like a taken one")
            .DocumentsBody<RegisterRequest>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    private static async Task<Results<Created<RegisterResponse>, ProblemHttpResult>> Register(HttpContext context, IGrainFactory grains, IOptions<SessionsApiOptions> options)
    {
        if (!options.Value.AllowRegistration)
            return Problems.Result(StatusCodes.Status403Forbidden, "Forbidden", "Self-registration is turned off on this service.");
        var (body, status, error) = await RequestBody.ReadJson<RegisterRequest>(context.Request);
        if (body is null)
            return Problems.Unreadable(status, error!);
        var username = Username.Normalize(body.Username);
        if (username is null)
            return Problems.BadRequest(Username.Rule);
        if (PasswordPolicy.Check(body.Password) is { } problem)
            return Problems.BadRequest(problem);
        var outcome = await grains.GetGrain<IUsernameGrain>(Username.ToKey(username)!).Register(username, body.Password!, []);
        if (outcome.LooksLikeAnother)
            return Problems.Result(StatusCodes.Status409Conflict, "Conflict",
                "That username looks like one that is taken (Unicode confusables, UTS #39: letters from another script or look-alike characters); choose another.");
        if (!outcome.Created)
            return Problems.Result(StatusCodes.Status409Conflict, "Conflict", "That username is taken.");
        return TypedResults.Created($"/admin/users/{outcome.UserId}", new RegisterResponse(outcome.UserId!, outcome.Username));
    }
}
