using Sessions.Api.Auth;
using Sessions.Api.Http;
using Sessions.Api.OpenApi;
using Sessions.Grains;

namespace Sessions.Api.Endpoints;

public sealed record MeResponse(string UserId, string Username, string SessionId, string DeviceId, string[] Roles);

public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

/// <summary>Self-service for the holder of any valid access token.</summary>
public static class MeEndpoints
{
    public static IEndpointRouteBuilder MapMeEndpoints(this IEndpointRouteBuilder app)
    {
        var me = app.MapGroup("/me").WithTags("Self-service").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        me.MapGet("/", GetMe).WithName("GetMe").WithSummary("Who the token belongs to");
        me.MapGet("/sessions", GetSessions).WithName("GetMySessions").WithSummary("The caller's live sessions");
        me.MapDelete("/sessions/{sessionId}", EndSession).WithName("EndMySession").WithSummary("Ends one of the caller's sessions")
            .ProducesProblem(StatusCodes.Status404NotFound);
        me.MapPost("/password", ChangePassword).WithName("ChangePassword")
            .WithSummary("Changes the password; every other session ends").DisableAntiforgery()
            .DocumentsBody<ChangePasswordRequest>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        app.MapPost("/auth/logout", Logout).WithTags("Self-service").RequireAuthorization().WithName("Logout")
            .WithSummary("Ends the caller's session (local), every other one (others) or all and every token issued so far (global)")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    private static Ok<MeResponse> GetMe(HttpContext context)
    {
        var access = SessionAccess.Of(context);
        return TypedResults.Ok(new MeResponse(access.UserId, access.Username, access.SessionId, access.DeviceId, access.Roles));
    }

    private static async Task<Ok<MySessionResponse[]>> GetSessions(HttpContext context, IGrainFactory grains)
    {
        var access = SessionAccess.Of(context);
        var sessions = await grains.GetGrain<IUserGrain>(access.UserId).GetSessions();
        return TypedResults.Ok(sessions.Select(s => MySessionResponse.Of(s, s.SessionId == access.SessionId)).ToArray());
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> EndSession(string sessionId, HttpContext context, IGrainFactory grains)
    {
        var access = SessionAccess.Of(context);
        if (!Ids.IsValid(sessionId) || !await grains.GetGrain<IUserGrain>(access.UserId).EndSession(sessionId, SessionEndReason.Logout))
            return Problems.NotFound("You have no live session with that id.");
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Logout(HttpContext context, IGrainFactory grains, string? scope = null)
    {
        LogoutScope? parsed = scope switch
        {
            null or "" or "local" => LogoutScope.Local,
            "others" => LogoutScope.Others,
            "global" => LogoutScope.Global,
            _ => null,
        };
        if (parsed is null)
            return Problems.BadRequest("scope must be local, others or global.");
        var access = SessionAccess.Of(context);
        await grains.GetGrain<IUserGrain>(access.UserId).Logout(access.SessionId, parsed.Value);
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> ChangePassword(HttpContext context, IGrainFactory grains)
    {
        var (body, status, error) = await RequestBody.ReadJson<ChangePasswordRequest>(context.Request);
        if (body is null)
            return Problems.Unreadable(status, error!);
        if (string.IsNullOrEmpty(body.CurrentPassword) || body.CurrentPassword.Length > 128)
            return Problems.BadRequest("currentPassword is required.");
        if (PasswordPolicy.Check(body.NewPassword) is { } problem)
            return Problems.BadRequest(problem);
        var access = SessionAccess.Of(context);
        if (!await grains.GetGrain<IUserGrain>(access.UserId).ChangePassword(access.SessionId, body.CurrentPassword, body.NewPassword!))
            return Problems.BadRequest("The current password is wrong.");
        return TypedResults.NoContent();
    }
}
