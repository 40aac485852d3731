using System.Net;
using System.Text;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Security;

/// <summary>Bearer values that are not a JWS at all, or are built to hurt a parser.</summary>
[Collection(AppCollection.Name)]
public sealed class MalformedTokenTests(SessionsApp app)
{
    private const string Malformed = "The token is malformed.";

    // Shapes a lenient decoder still reads fail later, at the signature or the key: refused all the same.
    public static TheoryData<string, string> Shapes => new()
    {
        { "garbage", Malformed },
        { "two-segments", Malformed },
        { "four-segments", Malformed },
        { "jwe-five-segments", "The token is invalid." },
        { "dots-only", Malformed },
        { "empty-segments", Malformed },
        { "spaces-inside", "The token's signature is invalid." },
        { "nested-header", Malformed },
        { "nested-payload", Malformed },
        { "header-array", Malformed },
        { "header-string", Malformed },
        { "header-number", Malformed },
        { "header-null", Malformed },
        { "payload-array", Malformed },
        { "header-not-utf8", Malformed },
        { "header-not-json", Malformed },
        { "padded-base64", "The token's signature is invalid." },
        { "standard-base64", "The token's signing key is not known." },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task Me_MalformedToken_Returns401(string shape, string detail)
    {
        using var client = app.NewClient();
        var (_, _, victim) = await client.NewUser();

        using var response = await Hostile.GetMe(client, Build(shape, victim.AccessToken));

        await Hostile.AssertInvalidToken(response, detail);
        await Hostile.AssertLive(client, victim);
    }

    [Theory]
    [InlineData(100 * 1024)]
    [InlineData(1024 * 1024)]
    public async Task Me_OversizedToken_Returns401(int bytes)
    {
        using var client = app.NewClient();
        var (_, _, victim) = await client.NewUser();
        var parts = victim.AccessToken.Split('.');
        var payload = Forge.PayloadWith(victim.AccessToken, p => p["pad"] = new string('a', bytes));

        using var response = await Hostile.GetMe(client, $"{parts[0]}.{Jwt.Encode(payload.ToJsonString())}.{parts[2]}");

        await Hostile.AssertInvalidToken(response, bytes > 250 * 1024 ? "The token is malformed." : "The token's signature is invalid.");
        await Hostile.AssertLive(client, victim);
    }

    [Fact]
    public async Task Me_RealAndForgedAuthorizationHeaders_Returns401()
    {
        using var client = app.NewClient();
        var (_, _, victim) = await client.NewUser();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/me");
        request.Headers.TryAddWithoutValidation("Authorization", ["Bearer " + victim.AccessToken, "Bearer " + Forge.AlgNone(victim.AccessToken, "none")]);

        using var response = await client.Http.SendAsync(request);

        await Hostile.AssertInvalidToken(response, "The token is malformed.");
        await Hostile.AssertLive(client, victim);
    }

    [Fact]
    public async Task Me_EmptyBearer_Returns401WithBareChallenge()
    {
        using var client = app.NewClient();

        using var response = await Hostile.GetMe(client, "");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).ToString());
    }

    private static string Build(string shape, string token)
    {
        var parts = token.Split('.');
        var nested = new string('[', 10_000) + new string(']', 10_000);
        return shape switch
        {
            "garbage" => "!!not*base64$$.%%%.^^^",
            "two-segments" => $"{parts[0]}.{parts[1]}",
            "four-segments" => $"{token}.{parts[2]}",
            "jwe-five-segments" => $"{Jwt.Encode("{\"alg\":\"dir\",\"enc\":\"A256GCM\",\"typ\":\"at+jwt\"}")}..{Jwt.Encode(new byte[12])}.{parts[1]}.{Jwt.Encode(new byte[16])}",
            "dots-only" => "....",
            "empty-segments" => "..",
            "spaces-inside" => $"{parts[0]} .{parts[1]}.{parts[2]}",
            "nested-header" => $"{Jwt.Encode(nested)}.{parts[1]}.{parts[2]}",
            "nested-payload" => $"{parts[0]}.{Jwt.Encode(nested)}.{parts[2]}",
            "header-array" => $"{Jwt.Encode("[]")}.{parts[1]}.{parts[2]}",
            "header-string" => $"{Jwt.Encode("\"ES256\"")}.{parts[1]}.{parts[2]}",
            "header-number" => $"{Jwt.Encode("42")}.{parts[1]}.{parts[2]}",
            "header-null" => $"{Jwt.Encode("null")}.{parts[1]}.{parts[2]}",
            "payload-array" => $"{parts[0]}.{Jwt.Encode("[]")}.{parts[2]}",
            "header-not-utf8" => $"{Jwt.Encode([0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x3A, 0x31, 0x7D])}.{parts[1]}.{parts[2]}",
            "header-not-json" => $"{Jwt.Encode("{alg: ES256")}.{parts[1]}.{parts[2]}",
            "padded-base64" => $"{parts[0]}==.{parts[1]}.{parts[2]}",
            "standard-base64" => $"{Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"alg\":\"ES256\",\"typ\":\"at+jwt\",\"kid\":\"a/b+c??\"}"))}.{parts[1]}.{parts[2]}",
            _ => throw new ArgumentOutOfRangeException(nameof(shape), shape, null),
        };
    }
}
