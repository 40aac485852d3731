using Sessions.Api.Http;
using Sessions.Grains;

namespace Sessions.Api.Endpoints;

public sealed record UserResponse(string UserId, string Username, bool Disabled, DateTimeOffset CreatedAt, string[] Roles);

public sealed record RotatedKeyResponse(string Kid);

/// <summary>Administration; every route needs an access token with role admin.</summary>
public static class AdminEndpoints
{
    public static IEndpointRouteBuilder MapAdminEndpoints(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin").WithTags("Admin").RequireAuthorization(SessionsApiExtensions.AdminPolicy).DisableAntiforgery()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        admin.MapGet("/users", FindUser).WithName("FindUser").WithSummary("Finds a user by username")
            .ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapGet("/users/{userId}", GetUser).WithName("GetUser").WithSummary("A user by id")
            .ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapGet("/users/{userId}/sessions", GetSessions).WithName("GetUserSessions").WithSummary("A user's live sessions")
            .ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapDelete("/users/{userId}/sessions/{sessionId}", EndSession).WithName("EndUserSession").WithSummary("Ends one session")
            .ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapDelete("/users/{userId}/devices/{deviceId}", RevokeDevice).WithName("RevokeDevice")
            .WithSummary("Ends every session on a device and rejects every token issued to it so far")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapPost("/users/{userId}/revoke", RevokeUser).WithName("RevokeUser")
            .WithSummary("Ends every session and rejects every token issued so far")
            .ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapPost("/users/{userId}/disable", (string userId, IGrainFactory grains) => SetDisabled(userId, true, grains))
            .WithName("DisableUser").WithSummary("Disables the account and ends every session")
            .ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapPost("/users/{userId}/enable", (string userId, IGrainFactory grains) => SetDisabled(userId, false, grains))
            .WithName("EnableUser").WithSummary("Enables the account")
            .ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapPost("/signing-keys/rotate", RotateKeys).WithName("RotateSigningKeys")
            .WithSummary("Signs new tokens with a new key; older keys verify until their tokens expire");
        admin.MapDelete("/signing-keys/{kid}", RetireKey).WithName("RetireSigningKey")
            .WithSummary("Retires a key at once, cluster-wide: every token it signed is rejected")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> FindUser(IGrainFactory grains, string? username = null)
    {
        if (Username.ToKey(username) is not { } key || await grains.GetGrain<IUsernameGrain>(key).GetUserId() is not { } userId)
            return Problems.NotFound("No user has that username.");
        return await GetUser(userId, grains);
    }

    private static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> GetUser(string userId, IGrainFactory grains)
    {
        if (await FindAccount(userId, grains) is not { } account)
            return UnknownUser();
        return TypedResults.Ok(new UserResponse(account.UserId, account.Username, account.Disabled, account.CreatedAt, account.Roles));
    }

    private static async Task<Results<Ok<SessionResponse[]>, ProblemHttpResult>> GetSessions(string userId, IGrainFactory grains)
    {
        if (await FindAccount(userId, grains) is null)
            return UnknownUser();
        var sessions = await grains.GetGrain<IUserGrain>(userId).GetSessions();
        return TypedResults.Ok(sessions.Select(SessionResponse.Of).ToArray());
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> EndSession(string userId, string sessionId, IGrainFactory grains)
    {
        if (!Ids.IsValid(userId) || !Ids.IsValid(sessionId) || !await grains.GetGrain<IUserGrain>(userId).EndSession(sessionId, SessionEndReason.Revoked))
            return Problems.NotFound("That user has no live session with that id.");
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeDevice(string userId, string deviceId, IGrainFactory grains)
    {
        if (!DeviceIds.IsValid(deviceId))
            return Problems.BadRequest("device ids are 1-128 characters of letters, digits and ._-:");
        if (await FindAccount(userId, grains) is null)
            return UnknownUser();
        await grains.GetGrain<IUserGrain>(userId).RevokeDevice(deviceId);
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeUser(string userId, IGrainFactory grains)
    {
        if (await FindAccount(userId, grains) is null)
            return UnknownUser();
        await grains.GetGrain<IUserGrain>(userId).RevokeAll();
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> SetDisabled(string userId, bool disabled, IGrainFactory grains)
    {
        if (!Ids.IsValid(userId) || !await grains.GetGrain<IUserGrain>(userId).SetDisabled(disabled))
            return UnknownUser();
        return TypedResults.NoContent();
    }

    private static async Task<Ok<RotatedKeyResponse>> RotateKeys(IGrainFactory grains) =>
        TypedResults.Ok(new RotatedKeyResponse(await grains.GetGrain<IKeyRingGrain>(0).Rotate()));

    private static async Task<Results<NoContent, ProblemHttpResult>> RetireKey(string kid, IGrainFactory grains)
    {
        if (kid.Length > 64 || !await grains.GetGrain<IKeyRingGrain>(0).Retire(kid))
            return Problems.NotFound("No signing key in use has that kid.");
        return TypedResults.NoContent();
    }

    // Malformed ids name no user, so they are answered like unknown ones, without activating a grain.
    private static async Task<AccountInfo?> FindAccount(string userId, IGrainFactory grains) =>
        Ids.IsValid(userId) ? await grains.GetGrain<IUserGrain>(userId).GetAccount() : null;

    private static ProblemHttpResult UnknownUser() => Problems.NotFound("No user has that id.");
}
