using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Npgsql;
using Sessions.Bench.Baselines;
using StackExchange.Redis;

// What a team would write without Sessions: stock JwtBearer with the same pinned parameters, and optionally one
// revocation lookup per request in the store they already run (Redis denylist or a PostgreSQL session row).
var builder = WebApplication.CreateBuilder(args);
var baseline = builder.Configuration.GetSection(BaselineOptions.SectionName).Get<BaselineOptions>() ?? new BaselineOptions();
baseline.ThrowIfInvalid();

switch (baseline.Mode)
{
    case BaselineMode.Redis:
        builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(baseline.Redis!));
        builder.Services.AddSingleton<ISessionCheck, RedisDenylist>();
        break;
    case BaselineMode.Postgres:
        builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(baseline.Postgres!));
        builder.Services.AddSingleton<ISessionCheck, PostgresSessionTable>();
        break;
}

if (baseline.Mode == BaselineMode.Trusted)
{
    // The same host with the auth taken out: what sits behind nginx auth_request or the gateway. /api/me is the
    // gateway's route, /open/me its anonymous one (YARP passes the path on as it came).
    var upstream = builder.Build();
    IResult Me(HttpContext http) => TypedResults.Ok(new MeResponse(http.Request.Headers["X-Sessions-User-Id"].ToString()));
    upstream.MapGet("/me", Me);
    upstream.MapGet("/api/me", Me);
    upstream.MapGet("/open/me", Me);
    upstream.Run();
    return;
}

var signingKeys = new JsonWebKeySet(File.ReadAllText(baseline.JwksFile!)).GetSigningKeys();
builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(bearer =>
{
    bearer.MapInboundClaims = false;
    bearer.TokenValidationParameters = new TokenValidationParameters
    {
        ValidIssuer = baseline.Issuer,
        ValidAudience = baseline.Audience,
        ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
        ValidTypes = ["at+jwt"],
        ClockSkew = TimeSpan.FromSeconds(30),
        IssuerSigningKeys = signingKeys,
        NameClaimType = "sub",
    };
    bearer.Events = new JwtBearerEvents
    {
        OnTokenValidated = async context =>
        {
            var check = context.HttpContext.RequestServices.GetService<ISessionCheck>();
            if (check is not null && context.SecurityToken is JsonWebToken token
                && !await check.IsLiveAsync(token, context.HttpContext.RequestAborted))
                context.Fail("The token has been revoked.");
        },
    };
});
builder.Services.AddAuthorization();

var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();
app.MapGet("/me", (ClaimsPrincipal user) => TypedResults.Ok(new MeResponse(user.FindFirstValue("sub")!))).RequireAuthorization();
app.Run();
