using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Sessions.Tests.Security;

/// <summary>Forgeries built from a real token: its claims kept, so only the forged part can be what gets it refused.</summary>
internal static class Forge
{
    public static string AlgNone(string token, string alg, string signature = "") =>
        $"{Jwt.Unsigned(HeaderWith(token, h => h["alg"] = alg), Jwt.Payload(token))}.{signature}";

    /// <summary>The real header (kid included) and claims, signed by a key the service never issued.</summary>
    public static string ForeignKey(string token, ECDsa attackerKey, Action<JsonObject>? changeClaims = null) =>
        Jwt.SignEs256(Jwt.Unsigned(Jwt.Header(token), PayloadWith(token, changeClaims)), attackerKey);

    /// <summary>Key confusion: HS256 with the service's public key as the HMAC secret.</summary>
    public static string Hs256(string token, byte[] secret, Action<JsonObject>? changeClaims = null) =>
        Jwt.SignHs256(Jwt.Unsigned(HeaderWith(token, h => h["alg"] = "HS256"), PayloadWith(token, changeClaims)), secret);

    /// <summary>The attacker's public key embedded as a <c>jwk</c> header, the token signed by its private half.</summary>
    public static string EmbeddedJwk(string token, ECDsa attackerKey, Action<JsonObject>? changeClaims = null) =>
        Jwt.SignEs256(Jwt.Unsigned(HeaderWith(token, h => h["jwk"] = Jwt.PublicJwk(attackerKey)), PayloadWith(token, changeClaims)), attackerKey);

    /// <summary>One forgery of each kind, built from <paramref name="token"/> with its claims optionally changed.</summary>
    public static string ByKind(string kind, string token, JsonObject publishedKey, Action<JsonObject>? changeClaims = null)
    {
        using var attackerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return kind switch
        {
            "claims-changed-keeping-signature" => Jwt.WithPayload(token, p =>
            {
                p["exp"] = p["exp"]!.GetValue<long>() + 3600;
                changeClaims?.Invoke(p);
            }),
            "alg-none" => $"{Jwt.Unsigned(HeaderWith(token, h => h["alg"] = "none"), PayloadWith(token, changeClaims))}.",
            "foreign-key-real-kid" => ForeignKey(token, attackerKey, changeClaims),
            "hs256-public-key" => Hs256(token, PublicKeyAsSecret(publishedKey, "raw-x-y"), changeClaims),
            "embedded-jwk" => EmbeddedJwk(token, attackerKey, changeClaims),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
    }

    public static string[] Kinds => ["claims-changed-keeping-signature", "alg-none", "foreign-key-real-kid", "hs256-public-key", "embedded-jwk"];

    /// <summary>The public key the service published, in the encodings a confused verifier might use as an HMAC secret.</summary>
    public static byte[] PublicKeyAsSecret(JsonObject jwk, string encoding)
    {
        var x = Base64Url(jwk["x"]!.GetValue<string>());
        var y = Base64Url(jwk["y"]!.GetValue<string>());
        using var key = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = x, Y = y } });
        return encoding switch
        {
            "raw-x-y" => [.. x, .. y],
            "uncompressed-point" => [0x04, .. x, .. y],
            "spki-der" => key.ExportSubjectPublicKeyInfo(),
            "spki-pem" => Encoding.ASCII.GetBytes(key.ExportSubjectPublicKeyInfoPem()),
            "jwk-json" => Encoding.UTF8.GetBytes(jwk.ToJsonString()),
            _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, null),
        };
    }

    public static JsonObject HeaderWith(string token, Action<JsonObject> change)
    {
        var header = Jwt.Header(token);
        change(header);
        return header;
    }

    public static JsonObject PayloadWith(string token, Action<JsonObject>? change)
    {
        var payload = Jwt.Payload(token);
        change?.Invoke(payload);
        return payload;
    }

    private static byte[] Base64Url(string text) => System.Buffers.Text.Base64Url.DecodeFromChars(text);
}
