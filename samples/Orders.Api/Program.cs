using Microsoft.AspNetCore.Authorization;
using Orders.Api;
using Sessions.Api.Auth;
using Sessions.AspNetCore;

var builder = WebApplication.CreateBuilder(args);
builder.AddSessionsAuthentication();
// Secure by default: an endpoint that names no policy still needs a live session, checked in the user's grain.
builder.Services.AddAuthorizationBuilder().SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
var app = builder.Build();
app.MapGet("/orders", (HttpContext context) => OrderList.Of(SessionAccess.Of(context)));
app.MapGet("/orders/report", () => new Report(1)).RequireAuthorization("admin");
app.MapGet("/", () => "Orders API: protected by Sessions.").AllowAnonymous();
app.Run();
