using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Sessions.Api.Http;

namespace Sessions.Api.Auth;

/// <summary>
/// Hands the bearer scheme's decision to <see cref="AccessTokenValidator"/> (the one every door uses), and shapes
/// every refusal: 401 with an RFC 6750 challenge, or 503 when the cluster cannot answer. Only endpoints that need
/// authorization pay for the decision (their own policy, or the app's <c>FallbackPolicy</c> when they name none); an
/// anonymous route ignores whatever bearer header it is sent.
/// </summary>
internal sealed class SessionBearerEvents(AccessTokenValidator validator, IAuthorizationPolicyProvider policies) : JwtBearerEvents
{
    private static readonly object Unavailable = new();

    public override async Task MessageReceived(MessageReceivedContext context)
    {
        if (!AccessTokenValidator.TryReadBearer(context.Request, out var token) || !await NeedsAuthorization(context.HttpContext.GetEndpoint()))
        {
            context.NoResult();
            return;
        }
        var decision = await validator.ValidateAsync(token, AccessCheckMode.Request, context.HttpContext.RequestAborted);
        switch (decision.Verdict)
        {
            case AccessVerdict.Accepted:
                decision.Access!.AttachTo(context.HttpContext);
                context.Principal = decision.Access.ToPrincipal(context.Scheme.Name);
                context.Success();
                break;
            case AccessVerdict.Unavailable:
                context.HttpContext.Items[Unavailable] = true;
                context.Fail("The session service is unavailable.");
                break;
            default:
                context.Fail(new AuthenticationFailureException(decision.Rejection));
                break;
        }
    }

    public override async Task Challenge(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        if (context.HttpContext.Items.ContainsKey(Unavailable))
            await Problems.ServiceUnavailable(context.HttpContext);
        else if (context.AuthenticateFailure is null)
            await BearerChallenge.WriteMissing(context.HttpContext);
        else
            await BearerChallenge.WriteInvalid(context.HttpContext, context.AuthenticateFailure is AuthenticationFailureException
                ? context.AuthenticateFailure.Message
                : AccessTokenValidator.Describe(context.AuthenticateFailure));
    }

    public override Task Forbidden(ForbiddenContext context) =>
        Problems.Write(context.HttpContext, StatusCodes.Status403Forbidden, "Forbidden", "This endpoint needs the admin role.");

    // The authorization middleware's own rule: an endpoint's policy, else the fallback policy (null unless the app
    // sets one), which also covers requests that matched no endpoint.
    private async ValueTask<bool> NeedsAuthorization(Endpoint? endpoint)
    {
        if (endpoint?.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            return false;
        if (endpoint is not null && (endpoint.Metadata.GetMetadata<IAuthorizeData>() is not null || endpoint.Metadata.GetMetadata<AuthorizationPolicy>() is not null))
            return true;
        return await policies.GetFallbackPolicyAsync() is not null;
    }
}
