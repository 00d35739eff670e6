using System.Buffers.Text;
using System.Security.Cryptography;

namespace Writ.Server.Tests.Infrastructure;

/// <summary>An agent's P-256 key pair and the RFC 7523 assertions it signs.</summary>
internal sealed class AgentKey : IDisposable
{
    public AgentKey(string kid)
    {
        Kid = kid;
        Key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    }

    public string Kid { get; }

    public ECDsa Key { get; }

    public Dictionary<string, string> PublicJwk
    {
        get
        {
            var p = Key.ExportParameters(false);
            return new() { ["kty"] = "EC", ["crv"] = "P-256", ["x"] = Base64Url.EncodeToString(p.Q.X), ["y"] = Base64Url.EncodeToString(p.Q.Y), ["kid"] = Kid };
        }
    }

    /// <summary>The SubjectPublicKeyInfo bytes, which an HS256 confusion attack uses as the HMAC secret.</summary>
    public byte[] PublicKeyBytes => Key.ExportSubjectPublicKeyInfo();

    public Dictionary<string, object?> Header(string alg = "ES256") => new() { ["alg"] = alg, ["typ"] = "JWT", ["kid"] = Kid };

    public static Dictionary<string, object?> Claims(string spiffeId, string audience, DateTimeOffset now, TimeSpan? lifetime = null, string? jti = null) => new()
    {
        ["iss"] = spiffeId,
        ["sub"] = spiffeId,
        ["aud"] = audience,
        ["iat"] = now.ToUnixTimeSeconds(),
        ["exp"] = (now + (lifetime ?? TimeSpan.FromMinutes(2))).ToUnixTimeSeconds(),
        ["jti"] = jti ?? Guid.NewGuid().ToString("N"),
    };

    public string Sign(IDictionary<string, object?> claims, IDictionary<string, object?>? header = null) => Jwt.Es256(Key, header ?? Header(), claims);

    public void Dispose() => Key.Dispose();
}
