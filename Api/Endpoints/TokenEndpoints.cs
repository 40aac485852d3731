using System.Globalization;
using Sessions.Api.Auth;
using Sessions.Api.Http;
using Sessions.Api.OpenApi;
using Sessions.Grains;

namespace Sessions.Api.Endpoints;

/// <summary>The OAuth 2.0 endpoints: token (RFC 6749), revocation (RFC 7009), introspection (RFC 7662).</summary>
public static class TokenEndpoints
{
    private const string FormContentType = "application/x-www-form-urlencoded";
    private const string JsonContentType = "application/json";

    public static IEndpointRouteBuilder MapTokenEndpoints(this IEndpointRouteBuilder app)
    {
        var oauth = app.MapGroup("/oauth").WithTags("OAuth 2.0").DisableAntiforgery();
        oauth.MapPost("/token", Token)
            .RequireRateLimiting(SessionsApiExtensions.TokenRateLimit)
            .WithName("Token")
            .WithSummary("Password and refresh_token grants (RFC 6749); form-encoded or JSON")
            .WithDescription("grant_type=password takes username, password and optionally device_id and device_name; " +
                "grant_type=refresh_token takes refresh_token and rotates it. Errors are RFC 6749 §5.2 bodies (invalid_grant for bad credentials, " +
                "lockout, a disabled account, or a reused refresh token, which ends its session).")
            .DocumentsBody<TokenRequest>(FormContentType, JsonContentType)
            .Produces<TokenResponse>()
            .Produces<OAuthError>(StatusCodes.Status400BadRequest)
            .Produces<OAuthError>(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        oauth.MapPost("/revoke", Revoke)
            .WithName("Revoke")
            .WithSummary("Revokes a refresh token (ending its session) or an access token (RFC 7009)")
            .WithDescription("Answers 200 for unknown or invalid tokens too (RFC 7009 §2.2).")
            .DocumentsBody<TokenParameterRequest>(FormContentType, JsonContentType)
            .Produces(StatusCodes.Status200OK)
            .Produces<OAuthError>(StatusCodes.Status400BadRequest)
            .Produces<OAuthError>(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        oauth.MapPost("/introspect", Introspect)
            .WithName("Introspect")
            .WithSummary("Says whether an access token is live (RFC 7662); needs an admin access token or a resource server's client credentials")
            .WithDescription("An inactive, revoked, expired or forged token answers {\"active\": false}. A resource server authenticates with " +
                "client_secret_basic or client_secret_post (Sessions:ResourceServers); its introspection of a live token slides the session, an admin's does not.")
            .DocumentsBody<TokenParameterRequest>(FormContentType, JsonContentType)
            .Produces<Dictionary<string, object>>()
            .Produces<OAuthError>(StatusCodes.Status400BadRequest)
            .Produces<OAuthError>(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .AddOpenApiOperationTransformer((operation, context, _) =>
            {
                BearerSecurityTransformer.Require(operation, context.Document);
                return Task.CompletedTask;
            });
        return app;
    }

    private static async Task<IResult> Token(HttpContext context, IGrainFactory grains)
    {
        var (form, status, error) = await RequestBody.ReadParameters(context.Request, allowJson: true);
        if (form is null)
            return OAuthResults.Error("invalid_request", error!, status == 413 ? 413 : 400);
        return form.GetValueOrDefault("grant_type") switch
        {
            null or "" => OAuthResults.Error("invalid_request", "The grant_type parameter is missing."),
            "password" => await PasswordGrant(form, context, grains),
            "refresh_token" => await RefreshGrant(form, grains),
            _ => OAuthResults.Error("unsupported_grant_type", "Only the password and refresh_token grants are supported."),
        };
    }

    private static async Task<IResult> PasswordGrant(Dictionary<string, string> form, HttpContext context, IGrainFactory grains)
    {
        var username = form.GetValueOrDefault("username");
        var password = form.GetValueOrDefault("password");
        var deviceId = form.GetValueOrDefault("device_id");
        var deviceName = form.GetValueOrDefault("device_name");
        if (string.IsNullOrEmpty(username) || string.IsNullOrEmpty(password))
            return OAuthResults.Error("invalid_request", "The username and password parameters are required.");
        if (deviceId is not null && !DeviceIds.IsValid(deviceId))
            return OAuthResults.Error("invalid_request", "device_id must be 1-128 characters of letters, digits and ._-:");
        if (!DeviceIds.IsValidName(deviceName))
            return OAuthResults.Error("invalid_request", "device_name must be at most 128 characters without control characters.");
        var key = Username.ToKey(username);
        if (key is null || password.Length > 128)
            return InvalidCredentials();
        var outcome = await grains.GetGrain<IUsernameGrain>(key)
            .Login(new LoginRequest(password, deviceId, string.IsNullOrEmpty(deviceName) ? null : deviceName, ClientAddress.Of(context)));
        return ToResult(outcome);
    }

    private static async Task<IResult> RefreshGrant(Dictionary<string, string> form, IGrainFactory grains)
    {
        var refreshToken = form.GetValueOrDefault("refresh_token");
        if (string.IsNullOrEmpty(refreshToken))
            return OAuthResults.Error("invalid_request", "The refresh_token parameter is required.");
        if (!RefreshTokenFormat.TryParse(refreshToken, out var userId, out _, out _))
            return OAuthResults.Error("invalid_grant", "The refresh token is invalid, expired or revoked.");
        RefreshDeadline.Start();
        return ToResult(await grains.GetGrain<IUserGrain>(userId).Refresh(refreshToken));
    }

    private static IResult ToResult(TokenOutcome outcome) => outcome switch
    {
        { Tokens: { } t } => OAuthResults.NoStoreJson(new TokenResponse(t.AccessToken, "Bearer", t.ExpiresIn, t.RefreshToken, t.SessionId, t.DeviceId)),
        { Failure: TokenFailure.InvalidCredentials or TokenFailure.LockedOut } => InvalidCredentials(),
        { Failure: TokenFailure.Disabled } => OAuthResults.Error("invalid_grant", "The account is disabled."),
        { Failure: TokenFailure.RefreshTokenReused } => OAuthResults.Error("invalid_grant", "The refresh token was already used; its session has been ended."),
        _ => OAuthResults.Error("invalid_grant", "The refresh token is invalid, expired or revoked."),
    };

    // One answer for unknown user, wrong password and lockout, so none can be told apart.
    private static IResult InvalidCredentials() =>
        OAuthResults.Error("invalid_grant", "The username or password is incorrect, or the account cannot sign in right now.");

    private static async Task<IResult> Revoke(HttpContext context, IGrainFactory grains, AccessTokenValidator validator)
    {
        var (token, invalid) = await ReadTokenParameter(context.Request);
        if (token is null)
            return invalid!;
        if (RefreshTokenFormat.TryParse(token, out var userId, out _, out _))
        {
            await grains.GetGrain<IUserGrain>(userId).RevokeRefreshToken(token);
        }
        else
        {
            var (claims, rejection) = await validator.VerifyAsync(token, context.RequestAborted);
            if (claims is not null)
                await grains.GetGrain<IUserGrain>(claims.UserId).RevokeAccessToken(claims.SessionId, claims.Jti, claims.ExpiresAt);
            else if (rejection is null)
                return await Unavailable(context);
        }
        // RFC 7009 §2.2: an invalid or unknown token is not an error.
        return TypedResults.Ok();
    }

    private static async Task<IResult> Introspect(HttpContext context, AccessTokenValidator validator, ResourceServerAuthenticator resourceServers,
        ClientAuthenticationLimiter limiter)
    {
        var request = context.Request;
        Dictionary<string, string>? form = null;
        AccessCheckMode mode;
        if (AccessTokenValidator.ReadBearer(request) is { } bearer)
        {
            // The admin's own token is a request of the admin: it slides the admin's session, as any request does.
            var caller = await validator.ValidateAsync(bearer, AccessCheckMode.Request, context.RequestAborted);
            if (caller.Verdict != AccessVerdict.Accepted)
            {
                await BearerChallenge.Write(context, caller);
                return TypedResults.Empty;
            }
            if (!caller.Access!.HasRole("admin"))
            {
                // RFC 7662 §2.1: the caller must be authorised to introspect; the contract answers 401 here.
                context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\", error_description=\"Introspection needs an admin access token.\"";
                return Problems.Result(StatusCodes.Status401Unauthorized, "Unauthorized", "Introspection needs an admin access token.");
            }
            // An admin looking at someone's token is not that user's request: nothing slides.
            mode = AccessCheckMode.Look;
        }
        else if (ResourceServerAuthenticator.IsBasic(request))
        {
            if (!limiter.Allows(context))
                return TooManyFailures(context);
            if (resourceServers.FromBasic(request) is null)
            {
                limiter.Failed(context);
                return InvalidClient(context);
            }
            // A resource server asks because its user made a request: that slides the session, as /me would.
            mode = AccessCheckMode.Request;
        }
        else
        {
            var (parameters, _, _) = await RequestBody.ReadParameters(request, allowJson: true);
            // No credential the body could hold either (an unreadable or oversized body is not read further).
            if (parameters is null || !parameters.ContainsKey("client_id"))
            {
                await BearerChallenge.WriteMissing(context);
                return TypedResults.Empty;
            }
            if (!limiter.Allows(context))
                return TooManyFailures(context);
            if (resourceServers.FromForm(parameters) is null)
            {
                limiter.Failed(context);
                return InvalidClient(context);
            }
            (form, mode) = (parameters, AccessCheckMode.Request);
        }
        string? token;
        if (form is not null)
        {
            token = form.GetValueOrDefault("token");
            if (string.IsNullOrEmpty(token))
                return OAuthResults.Error("invalid_request", "The token parameter is required.");
        }
        else
        {
            (token, var invalid) = await ReadTokenParameter(request);
            if (token is null)
                return invalid!;
        }
        var decision = await validator.ValidateAsync(token, mode, context.RequestAborted);
        return decision.Verdict switch
        {
            AccessVerdict.Accepted => Active(decision, validator),
            AccessVerdict.Unavailable => await Unavailable(context),
            _ => OAuthResults.NoStoreJson(new Dictionary<string, object> { ["active"] = false }),
        };
    }

    private static async Task<IResult> Unavailable(HttpContext context)
    {
        await Problems.ServiceUnavailable(context);
        return TypedResults.Empty;
    }

    // RFC 6749 §5.2: a failed client authentication is 401 invalid_client with a Basic challenge.
    private static IResult TooManyFailures(HttpContext context)
    {
        context.Response.Headers.RetryAfter = ClientAuthenticationLimiter.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return Problems.Result(StatusCodes.Status429TooManyRequests, "Too Many Requests",
            $"Too many failed client authentications from this address; retry after {ClientAuthenticationLimiter.RetryAfterSeconds} seconds.");
    }

    private static IResult InvalidClient(HttpContext context)
    {
        context.Response.Headers.WWWAuthenticate = "Basic realm=\"sessions\"";
        return OAuthResults.Error("invalid_client", "The client credentials are missing or wrong.", StatusCodes.Status401Unauthorized);
    }

    private static IResult Active(AccessDecision decision, AccessTokenValidator validator)
    {
        var (access, claims) = (decision.Access!, decision.Claims!);
        return OAuthResults.NoStoreJson(new Dictionary<string, object>
        {
            ["active"] = true,
            ["sub"] = access.UserId,
            ["sid"] = access.SessionId,
            ["jti"] = access.Jti,
            ["exp"] = claims.ExpiresAt.ToUnixTimeSeconds(),
            ["iat"] = claims.IssuedAt.ToUnixTimeSeconds(),
            ["iss"] = validator.Parameters.ValidIssuer,
            ["aud"] = validator.Parameters.ValidAudience,
            ["token_type"] = "access_token",
            ["username"] = access.Username,
            ["device_id"] = access.DeviceId,
        });
    }

    /// <summary>The <c>token</c> parameter of RFC 7009 and RFC 7662 requests, or the invalid_request answer.</summary>
    private static async Task<(string? Token, IResult? Invalid)> ReadTokenParameter(HttpRequest request)
    {
        var (form, status, error) = await RequestBody.ReadParameters(request, allowJson: true);
        if (form is null)
            return (null, OAuthResults.Error("invalid_request", error!, status == 413 ? 413 : 400));
        var token = form.GetValueOrDefault("token");
        return string.IsNullOrEmpty(token)
            ? (null, OAuthResults.Error("invalid_request", "The token parameter is required."))
            : (token, null);
    }
}
