using System.Text.Json.Nodes;
using Sessions.Tests.Infrastructure;

namespace Sessions.Tests.Security;

/// <summary>Hostile <c>kid</c> values: the kid is only ever a dictionary key into the key ring, never a path, query or type.</summary>
[Collection(AppCollection.Name)]
public sealed class KidInjectionTests(SessionsApp app)
{
    private const string UnknownKey = "The token's signing key is not known.";

    // A kid that is not a string cannot even be read as a header, so those fail as malformed.
    public static TheoryData<string, string> Kids => new()
    {
        { "path-traversal", UnknownKey },
        { "dev-null", UnknownKey },
        { "sql", UnknownKey },
        { "very-long", UnknownKey },
        { "null-byte", UnknownKey },
        { "array", "The token is malformed." },
        { "object", "The token is malformed." },
        { "number", "The token is malformed." },
        { "json-null", UnknownKey },
        { "empty", UnknownKey },
    };

    [Theory]
    [MemberData(nameof(Kids))]
    public async Task Me_InjectedKidSignedByAttacker_Returns401(string kid, string detail)
    {
        using var client = app.NewClient();
        var (_, _, victim) = await client.NewUser();
        using var attackerKey = Hostile.NewP256Key();
        var header = Forge.HeaderWith(victim.AccessToken, h => h["kid"] = Kid(kid));

        using var response = await Hostile.GetMe(client, Jwt.SignEs256(Jwt.Unsigned(header, Jwt.Payload(victim.AccessToken)), attackerKey));

        await Hostile.AssertInvalidToken(response, detail);
        await Hostile.AssertLive(client, victim);
    }

    [Theory]
    [MemberData(nameof(Kids))]
    public async Task Me_InjectedKidWithHs256EmptySecret_Returns401(string kid, string detail)
    {
        using var client = app.NewClient();
        var (_, _, victim) = await client.NewUser();
        var header = Forge.HeaderWith(victim.AccessToken, h =>
        {
            h["alg"] = "HS256";
            h["kid"] = Kid(kid);
        });

        using var response = await Hostile.GetMe(client, Jwt.SignHs256(Jwt.Unsigned(header, Jwt.Payload(victim.AccessToken)), []));

        await Hostile.AssertInvalidToken(response, detail);
        await Hostile.AssertLive(client, victim);
    }

    private static JsonNode? Kid(string name) => name switch
    {
        "path-traversal" => "../../../../etc/passwd",
        "dev-null" => "../../../../dev/null",
        "sql" => "' OR 1=1 --",
        "very-long" => new string('k', 100_000),
        "null-byte" => "kid\0../../etc/passwd",
        "array" => new JsonArray("kid"),
        "object" => new JsonObject { ["kid"] = "kid" },
        "number" => 1,
        "json-null" => null,
        "empty" => "",
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };
}
