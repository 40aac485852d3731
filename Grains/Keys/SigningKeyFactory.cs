using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.Tokens;

namespace Sessions.Grains.Keys;

/// <summary>Makes P-256 keys and opens their protected private parts. Only silos hold the Data Protection keys that can.</summary>
internal sealed class SigningKeyFactory(IDataProtectionProvider dataProtection)
{
    private readonly IDataProtector _protector = dataProtection.CreateProtector("Sessions.SigningKeys.v1");

    public SigningKeyState Create(DateTimeOffset now)
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var parameters = ecdsa.ExportParameters(includePrivateParameters: true);
        try
        {
            return new SigningKeyState
            {
                Kid = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(12)),
                X = WebEncoders.Base64UrlEncode(parameters.Q.X!),
                Y = WebEncoders.Base64UrlEncode(parameters.Q.Y!),
                ProtectedD = WebEncoders.Base64UrlEncode(_protector.Protect(parameters.D!)),
                CreatedAt = now,
            };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(parameters.D);
        }
    }

    public ECDsaSecurityKey OpenPrivateKey(ProtectedSigningKey key)
    {
        var d = _protector.Unprotect(WebEncoders.Base64UrlDecode(key.ProtectedPrivateKey));
        try
        {
            var ecdsa = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = d });
            return new ECDsaSecurityKey(ecdsa) { KeyId = key.Kid };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(d);
        }
    }
}
