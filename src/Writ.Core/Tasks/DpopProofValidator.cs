using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Writ.Core.Storage;

namespace Writ.Core.Tasks;

/// <summary>
/// Checks an RFC 9449 DPoP proof: <c>typ</c> <c>dpop+jwt</c>, an asymmetric algorithm, a public
/// <c>jwk</c> header that verifies the signature, <c>htm</c> and <c>htu</c> of this request, a fresh
/// <c>iat</c>, a <c>jti</c> never seen before, and <c>ath</c> when an access token goes with it.
/// The result is the key's RFC 7638 thumbprint, the <c>jkt</c>.
/// </summary>
public sealed class DpopProofValidator
{
    private const int MaxProofLength = 8 * 1024;
    private const string ReplayScope = "dpop";
    private static readonly string[] Algorithms = ["ES256", "ES384", "ES512", "PS256", "PS384", "PS512", "RS256", "RS384", "RS512"];

    /// <summary>The JWS algorithms accepted on DPoP proofs (RFC 9449 <c>dpop_signing_alg_values_supported</c>).</summary>
    public static IReadOnlyList<string> SupportedAlgorithms { get; } = Algorithms;
    private static readonly string[] PrivateMembers = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];
    private static readonly JsonWebTokenHandler Handler = new() { MapInboundClaims = false };

    private readonly IReplayCache replay;
    private readonly TimeProvider time;
    private readonly TimeSpan skew;

    /// <summary>Creates the validator; <paramref name="skew"/> bounds how far <c>iat</c> may be from now.</summary>
    public DpopProofValidator(IReplayCache replay, TimeProvider time, TimeSpan skew)
    {
        this.replay = replay;
        this.time = time;
        this.skew = skew;
    }

    /// <summary>The thumbprint of the proof's key, or why the proof is refused.</summary>
    public async Task<(string? Jkt, string? Error)> ValidateAsync(string? proof, string method, string uri, string? accessToken, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(proof) || proof.Length > MaxProofLength || proof.Count(c => c == '.') != 2)
        {
            return (null, "the DPoP proof is not a compact JWS");
        }

        JsonWebToken jwt;
        JsonWebKey key;
        try
        {
            jwt = new JsonWebToken(proof);
            using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(jwt.EncodedHeader), new JsonDocumentOptions { MaxDepth = 4 });
            var root = header.RootElement;
            if (!root.TryGetProperty("typ", out var typ) || typ.ValueKind != JsonValueKind.String || !string.Equals(typ.GetString(), "dpop+jwt", StringComparison.OrdinalIgnoreCase))
            {
                return (null, "the DPoP proof's 'typ' must be dpop+jwt");
            }

            if (!root.TryGetProperty("alg", out var alg) || alg.ValueKind != JsonValueKind.String || !Algorithms.Contains(alg.GetString()))
            {
                return (null, "the DPoP proof's algorithm must be an asymmetric JWS algorithm");
            }

            if (!root.TryGetProperty("jwk", out var jwk) || jwk.ValueKind != JsonValueKind.Object)
            {
                return (null, "the DPoP proof has no 'jwk' header");
            }

            foreach (var member in PrivateMembers)
            {
                if (jwk.TryGetProperty(member, out _))
                {
                    return (null, "the DPoP proof's 'jwk' must be a public key");
                }
            }

            key = new JsonWebKey(jwk.GetRawText());
            if (key.Kty is not ("EC" or "RSA"))
            {
                return (null, "the DPoP proof's key must be an EC or RSA key");
            }

            if (root.TryGetProperty("crit", out _) || root.TryGetProperty("jku", out _) || root.TryGetProperty("x5u", out _) || root.TryGetProperty("x5c", out _))
            {
                return (null, "the DPoP proof carries a header that is not accepted (crit, jku, x5u, x5c)");
            }
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or JsonException or SecurityTokenMalformedException)
        {
            return (null, "the DPoP proof is not a well-formed JWT");
        }

        var parameters = new TokenValidationParameters
        {
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false,
            RequireExpirationTime = false,
            RequireSignedTokens = true,
            ValidAlgorithms = Algorithms,
            ValidTypes = ["dpop+jwt"],
            IssuerSigningKey = key,

            // A proof has no kid; the one key from its own header is the only candidate.
            TryAllIssuerSigningKeys = true,
            ValidateIssuerSigningKey = false,
            LogValidationExceptions = false,
        };
        var result = await Handler.ValidateTokenAsync(jwt, parameters);
        if (!result.IsValid)
        {
            return (null, "the DPoP proof's signature does not verify with its 'jwk'");
        }

        if (!jwt.TryGetPayloadValue<string>("htm", out var htm) || !string.Equals(htm, method, StringComparison.Ordinal))
        {
            return (null, $"the DPoP proof's 'htm' must be {method}");
        }

        if (!jwt.TryGetPayloadValue<string>("htu", out var htu) || !SameUri(htu, uri))
        {
            return (null, "the DPoP proof's 'htu' is not this endpoint's URL");
        }

        if (!jwt.TryGetPayloadValue<long>("iat", out var iat))
        {
            return (null, "the DPoP proof has no 'iat'");
        }

        var now = time.GetUtcNow();
        var issued = DateTimeOffset.FromUnixTimeSeconds(iat);
        if (issued > now + skew || issued < now - skew)
        {
            return (null, "the DPoP proof's 'iat' is too far from the current time");
        }

        if (!jwt.TryGetPayloadValue<string>("jti", out var jti) || string.IsNullOrEmpty(jti) || jti.Length > 256)
        {
            return (null, "the DPoP proof needs a 'jti' of at most 256 characters");
        }

        if (accessToken is not null)
        {
            var expected = Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken)));
            if (!jwt.TryGetPayloadValue<string>("ath", out var ath) || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(ath), Encoding.ASCII.GetBytes(expected)))
            {
                return (null, "the DPoP proof's 'ath' does not match the access token");
            }
        }

        var thumbprint = Base64UrlEncoder.Encode(key.ComputeJwkThumbprint());
        if (!await replay.TryRecordAsync(ReplayScope, thumbprint + ":" + jti, issued + skew + skew, cancellationToken))
        {
            return (null, "the DPoP proof has been used before");
        }

        return (thumbprint, null);
    }

    // RFC 9449 §4.3: compare without query and fragment, scheme and host case-insensitively.
    private static bool SameUri(string? presented, string expected)
    {
        if (!Uri.TryCreate(presented, UriKind.Absolute, out var a) || !Uri.TryCreate(expected, UriKind.Absolute, out var b))
        {
            return false;
        }

        return Uri.Compare(a, b, UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0
            && string.Equals(a.AbsolutePath, b.AbsolutePath, StringComparison.Ordinal);
    }
}
