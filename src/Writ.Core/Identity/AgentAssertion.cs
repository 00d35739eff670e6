using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Writ.Core.Identity;

/// <summary>
/// An agent's RFC 7523 assertion read straight from its compact JWS with the BCL, for the hot path of
/// registered-key attestation. It applies the same gate as <see cref="JoseHeaderGuard"/> with ES256
/// pinned (no <c>none</c>/HMAC/other algorithms, a <c>kid</c>, no <c>jku</c>/<c>x5u</c>/<c>jwk</c>/<c>x5c</c>/<c>crit</c>/<c>enc</c>/<c>zip</c>,
/// <c>typ</c> absent or <c>JWT</c>), and is stricter on form: only base64url characters, JSON objects
/// without duplicate members, and claims of their registered types.
/// </summary>
internal sealed class AgentAssertion
{
    private const int SignatureLength = 64;

    private static readonly JsonDocumentOptions Strict = new() { AllowDuplicateProperties = false, MaxDepth = 16 };
    private static readonly string[] KeyReferenceHeaders = ["jku", "x5u", "jwk", "x5c"];

    private readonly string _text;
    private readonly int _signingInputLength;

    private AgentAssertion(string text, int signingInputLength, string kid, Claims claims)
    {
        _text = text;
        _signingInputLength = signingInputLength;
        Kid = kid;
        Issuer = claims.Issuer;
        Subject = claims.Subject;
        Audiences = claims.Audiences;
        ExpiresAt = claims.ExpiresAt;
        NotBefore = claims.NotBefore;
        IssuedAt = claims.IssuedAt;
        Id = claims.Id;
    }

    public string Kid { get; }

    public string? Issuer { get; }

    public string? Subject { get; }

    /// <summary>Null when the assertion has no <c>aud</c>.</summary>
    public IReadOnlyList<string>? Audiences { get; }

    /// <summary><c>exp</c> in Unix seconds, when present.</summary>
    public long? ExpiresAt { get; }

    /// <summary><c>nbf</c> in Unix seconds, when present.</summary>
    public long? NotBefore { get; }

    /// <summary><c>iat</c> in Unix seconds, when present.</summary>
    public long? IssuedAt { get; }

    public string? Id { get; }

    /// <summary>Reads and gates the assertion; null with <paramref name="error"/> saying why when it is refused.</summary>
    public static AgentAssertion? Read(string text, out string? error)
    {
        if (text.Length == 0)
        {
            error = "the token is empty";
            return null;
        }

        if (text.Length > JoseHeaderGuard.MaxTokenLength)
        {
            error = $"the token is longer than {JoseHeaderGuard.MaxTokenLength} characters";
            return null;
        }

        var first = text.IndexOf('.', StringComparison.Ordinal);
        var second = first < 0 ? -1 : text.IndexOf('.', first + 1);
        if (first < 0 || second < 0 || text.IndexOf('.', second + 1) >= 0)
        {
            error = "the token is not a compact JWS (three base64url parts)";
            return null;
        }

        // An empty signature is well-formed (alg none); the header check refuses it with that reason.
        var signature = text.AsSpan(second + 1);
        if (!IsBase64Url(text.AsSpan(0, first)) || !IsBase64Url(text.AsSpan(first + 1, second - first - 1)) || (!signature.IsEmpty && !IsBase64Url(signature)))
        {
            error = "the token is not a well-formed JWT";
            return null;
        }

        error = ReadHeader(text.AsSpan(0, first), out var kid);
        if (error is not null)
        {
            return null;
        }

        if (!TryReadClaims(text.AsSpan(first + 1, second - first - 1), out var claims))
        {
            error = "the token is not a well-formed JWT";
            return null;
        }

        return new AgentAssertion(text, second, kid!, claims);
    }

    /// <summary>Whether the ES256 signature (IEEE P1363, 64 bytes) over the signing input verifies with <paramref name="key"/>.</summary>
    public bool VerifySignature(ECDsa key)
    {
        // 64 bytes are exactly 86 base64url characters without padding.
        var encoded = _text.AsSpan(_signingInputLength + 1);
        Span<byte> signature = stackalloc byte[SignatureLength];
        if (encoded.Length != 86 || !Base64Url.TryDecodeFromChars(encoded, signature, out var written) || written != SignatureLength)
        {
            return false;
        }

        var input = ArrayPool<byte>.Shared.Rent(_signingInputLength);
        try
        {
            // The signing input is the token's own ASCII text up to the second dot.
            var length = Encoding.ASCII.GetBytes(_text.AsSpan(0, _signingInputLength), input);
            return key.VerifyData(input.AsSpan(0, length), signature, HashAlgorithmName.SHA256);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(input);
        }
    }

    private static string? ReadHeader(ReadOnlySpan<char> encoded, out string? kid)
    {
        kid = null;
        if (!TryParse(encoded, out var document))
        {
            return "the token is not a well-formed JWT";
        }

        using (document)
        {
            var header = document.RootElement;
            var alg = header.TryGetProperty("alg", out var algValue) && algValue.ValueKind == JsonValueKind.String ? algValue.GetString() : null;
            if (string.IsNullOrEmpty(alg) || alg.Equals("none", StringComparison.OrdinalIgnoreCase))
            {
                return "unsigned tokens (alg none) are not accepted";
            }

            if (alg.StartsWith("HS", StringComparison.OrdinalIgnoreCase))
            {
                return $"symmetric algorithm {alg} is not accepted; sign with the registered asymmetric key";
            }

            if (!string.Equals(alg, "ES256", StringComparison.Ordinal))
            {
                return $"algorithm {alg} is not accepted (accepted: ES256)";
            }

            foreach (var name in KeyReferenceHeaders)
            {
                if (header.TryGetProperty(name, out _))
                {
                    return $"the '{name}' header is not accepted; keys come only from registration";
                }
            }

            if (header.TryGetProperty("crit", out _))
            {
                return "the 'crit' header is not supported";
            }

            if (header.TryGetProperty("enc", out _) || header.TryGetProperty("zip", out _))
            {
                return "encrypted or compressed tokens are not accepted";
            }

            kid = header.TryGetProperty("kid", out var kidValue) && kidValue.ValueKind == JsonValueKind.String ? kidValue.GetString() : null;
            if (string.IsNullOrEmpty(kid))
            {
                return "the token has no 'kid' header";
            }

            string? typ = null;
            if (header.TryGetProperty("typ", out var typValue))
            {
                if (typValue.ValueKind != JsonValueKind.String)
                {
                    return "the token's 'typ' header must be a string";
                }

                typ = typValue.GetString();
            }

            if (!string.IsNullOrEmpty(typ) && !typ.Equals("JWT", StringComparison.OrdinalIgnoreCase))
            {
                return $"token type '{typ}' is not accepted here";
            }

            return null;
        }
    }

    private static bool TryReadClaims(ReadOnlySpan<char> encoded, out Claims claims)
    {
        claims = default;
        if (!TryParse(encoded, out var document))
        {
            return false;
        }

        using (document)
        {
            var payload = document.RootElement;
            if (!TryString(payload, "iss", out var issuer)
                || !TryString(payload, "sub", out var subject)
                || !TryString(payload, "jti", out var id)
                || !TryAudiences(payload, out var audiences)
                || !TryNumericDate(payload, "exp", out var exp)
                || !TryNumericDate(payload, "nbf", out var nbf)
                || !TryNumericDate(payload, "iat", out var iat))
            {
                return false;
            }

            claims = new Claims(issuer, subject, audiences, exp, nbf, iat, id);
            return true;
        }
    }

    private static bool TryParse(ReadOnlySpan<char> encoded, out JsonDocument document)
    {
        document = null!;

        // Not pooled: the document reads from this array for as long as it lives.
        var utf8 = new byte[Base64Url.GetMaxDecodedLength(encoded.Length)];
        try
        {
            if (!Base64Url.TryDecodeFromChars(encoded, utf8, out var written))
            {
                return false;
            }

            document = JsonDocument.Parse(utf8.AsMemory(0, written), Strict);
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            return false;
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            return false;
        }

        return true;
    }

    /// <summary>Absent is fine (null); present must be a string.</summary>
    private static bool TryString(JsonElement payload, string name, out string? value)
    {
        value = null;
        if (!payload.TryGetProperty(name, out var element))
        {
            return true;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        value = element.GetString();
        return true;
    }

    /// <summary><c>aud</c> is one string or an array of strings (RFC 7519 §4.1.3).</summary>
    private static bool TryAudiences(JsonElement payload, out IReadOnlyList<string>? audiences)
    {
        audiences = null;
        if (!payload.TryGetProperty("aud", out var element))
        {
            return true;
        }

        if (element.ValueKind == JsonValueKind.String)
        {
            audiences = [element.GetString()!];
            return true;
        }

        if (element.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        var list = new List<string>(element.GetArrayLength());
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                return false;
            }

            list.Add(item.GetString()!);
        }

        audiences = list;
        return true;
    }

    /// <summary>A NumericDate: absent is fine; present must be a number, fractions truncated toward the past.</summary>
    private static bool TryNumericDate(JsonElement payload, string name, out long? seconds)
    {
        seconds = null;
        if (!payload.TryGetProperty(name, out var element))
        {
            return true;
        }

        if (element.ValueKind != JsonValueKind.Number)
        {
            return false;
        }

        if (element.TryGetInt64(out var whole))
        {
            seconds = whole;
            return true;
        }

        if (element.TryGetDouble(out var fractional) && double.IsFinite(fractional) && Math.Abs(fractional) < 1e15)
        {
            seconds = (long)Math.Floor(fractional);
            return true;
        }

        return false;
    }

    private static bool IsBase64Url(ReadOnlySpan<char> part)
    {
        // A length of 4n+1 encodes no whole byte sequence.
        if (part.IsEmpty || part.Length % 4 == 1)
        {
            return false;
        }

        foreach (var c in part)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_')
            {
                return false;
            }
        }

        return true;
    }

    private readonly record struct Claims(string? Issuer, string? Subject, IReadOnlyList<string>? Audiences, long? ExpiresAt, long? NotBefore, long? IssuedAt, string? Id);
}
