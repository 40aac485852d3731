using Orders.Api;
using Sessions.Api.Auth;
using Sessions.AspNetCore;

var builder = WebApplication.CreateBuilder(args);
builder.AddSessionsAuthentication();
var app = builder.Build();

app.MapGet("/orders", (HttpContext context) =>
{
    var caller = SessionAccess.Of(context);
    return TypedResults.Ok(new OrderList(caller.UserId, caller.Username, [new Order("o-1", 42.50m)]));
}).RequireAuthorization();
app.MapGet("/orders/report", () => TypedResults.Ok(new Report(1))).RequireAuthorization("admin");
app.MapGet("/", () => "Orders API: protected by Sessions.");

app.Run();
