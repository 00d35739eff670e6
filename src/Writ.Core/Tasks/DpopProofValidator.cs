using System.Buffers.Text;
using System.Numerics;
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

    // The last second DateTimeOffset can hold; a larger 'iat' is refused rather than overflowing.
    private const double MaxNumericDate = 253402300799;
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
        string algorithm;
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

            algorithm = alg.GetString()!;

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

            if (!KeyFits(key, algorithm))
            {
                return (null, $"the DPoP proof's key does not fit {algorithm} (ES256 needs P-256, ES384 P-384, ES512 P-521, RSA at least 2048 bits)");
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

        var (claims, claimsError) = ReadClaims(jwt);
        if (claims is not { } c)
        {
            return (null, claimsError);
        }

        if (!string.Equals(c.Htm, method, StringComparison.Ordinal))
        {
            return (null, $"the DPoP proof's 'htm' must be {method}");
        }

        if (!SameUri(c.Htu, uri))
        {
            return (null, "the DPoP proof's 'htu' is not this endpoint's URL");
        }

        var now = time.GetUtcNow();
        if (c.Iat > (now + skew).ToUnixTimeSeconds() || c.Iat < (now - skew).ToUnixTimeSeconds())
        {
            return (null, "the DPoP proof's 'iat' is too far from the current time");
        }

        var issued = DateTimeOffset.FromUnixTimeSeconds(c.Iat);
        var jti = c.Jti;

        if (accessToken is not null)
        {
            var expected = Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken)));
            if (c.Ath is not { } ath || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(ath), Encoding.ASCII.GetBytes(expected)))
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

    // RFC 7519 types: htm, htu, jti and ath strings, iat a NumericDate (a JSON number, not a numeric string).
    private static (ProofClaims? Claims, string? Error) ReadClaims(JsonWebToken jwt)
    {
        try
        {
            using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(jwt.EncodedPayload), new JsonDocumentOptions { MaxDepth = 8 });
            var root = payload.RootElement;
            if (String(root, "htm") is not { } htm || String(root, "htu") is not { } htu)
            {
                return (null, "the DPoP proof needs 'htm' and 'htu' strings");
            }

            if (!root.TryGetProperty("iat", out var iatElement) || iatElement.ValueKind != JsonValueKind.Number || !iatElement.TryGetDouble(out var iat)
                || iat < 0 || iat > MaxNumericDate)
            {
                return (null, "the DPoP proof needs an 'iat' number of seconds since the epoch");
            }

            if (String(root, "jti") is not { Length: > 0 and <= 256 } jti)
            {
                return (null, "the DPoP proof needs a 'jti' of at most 256 characters");
            }

            var ath = root.TryGetProperty("ath", out var athElement) ? (athElement.ValueKind == JsonValueKind.String ? athElement.GetString() : string.Empty) : null;
            return (new ProofClaims(htm, htu, (long)Math.Floor(iat), jti, ath), null);
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            return (null, "the DPoP proof's payload is not a JSON object");
        }
    }

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    // RFC 7518 §3.3-3.5: each ES algorithm has its curve, and RSA keys are at least 2048 bits.
    private static bool KeyFits(JsonWebKey key, string algorithm) => key.Kty switch
    {
        "EC" => key.Crv == algorithm switch { "ES256" => "P-256", "ES384" => "P-384", "ES512" => "P-521", _ => null },
        "RSA" => algorithm[0] is 'R' or 'P' && ModulusBits(key.N) >= 2048,
        _ => false,
    };

    private static long ModulusBits(string? n)
    {
        if (string.IsNullOrEmpty(n))
        {
            return 0;
        }

        try
        {
            return new BigInteger(Base64Url.DecodeFromChars(n), isUnsigned: true, isBigEndian: true).GetBitLength();
        }
        catch (FormatException)
        {
            return 0;
        }
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

    private sealed record ProofClaims(string Htm, string Htu, long Iat, string Jti, string? Ath);
}
