using Microsoft.AspNetCore.Authorization;
using Orders.Api;
using Sessions.Api.Auth;
using Sessions.AspNetCore;

var builder = WebApplication.CreateBuilder(args);
builder.AddSessionsAuthentication();
// Secure by default: an endpoint that names no policy still needs a live session.
builder.Services.AddAuthorizationBuilder().SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
var app = builder.Build();

app.MapGet("/orders", (HttpContext context) =>
{
    var caller = SessionAccess.Of(context);
    return TypedResults.Ok(new OrderList(caller.UserId, caller.Username, [new Order("o-1", 42.50m)]));
}).RequireAuthorization();
app.MapGet("/orders/report", () => TypedResults.Ok(new Report(1))).RequireAuthorization("admin");
app.MapGet("/orders/count", (HttpContext context) => TypedResults.Ok(new OrderCount(SessionAccess.Of(context).UserId, 1)));
app.MapGet("/", () => "Orders API: protected by Sessions.").AllowAnonymous();

app.Run();
