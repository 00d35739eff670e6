using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Writ.Core.Domain;
using Writ.Core.Keys;
using Writ.Core.Security;

namespace Writ.Core.Identity;

/// <summary>
/// Mints identity tokens: JWT-SVIDs signed ES256 by the active key (<c>kid</c> set, <c>typ</c> <c>JWT</c>),
/// with <c>sub</c> the SPIFFE ID, one <c>aud</c>, <c>iss</c>, <c>iat</c>, <c>exp</c>, <c>jti</c>, and
/// <c>writ_attestation</c> saying which method (and external issuer) attested the agent.
/// </summary>
internal sealed class IdentityTokenIssuer(KeyRing keys, ITokenServiceEndpoints endpoints, IdentityTokenOptions options, TimeProvider time)
{
    private const int SignatureBytes = 64;
    private const int SignatureChars = 86;

    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_payload;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    // The encoded header for the signing key last used: it changes only when the key rotates.
    private EncodedHeader? _header;

    public async Task<IssuedIdentityToken> IssueAsync(Attestation attestation, string audience, CancellationToken cancellationToken)
    {
        var credentials = await keys.GetSigningCredentialsAsync(cancellationToken);
        var now = time.GetUtcNow();
        var issuedAt = now.ToUnixTimeSeconds();
        var lifetime = options.Lifetime > IdentityTokenOptions.MaxLifetime ? IdentityTokenOptions.MaxLifetime : options.Lifetime;
        var expires = issuedAt + (long)lifetime.TotalSeconds;
        var jti = RandomToken.Create(16);
        var payload = Payload(attestation, audience, issuedAt, expires, jti);
        var token = credentials.Key is ECDsaSecurityKey { ECDsa: { } signer, KeyId: { Length: > 0 } kid } && credentials.Algorithm == SecurityAlgorithms.EcdsaSha256
            ? Sign(signer, kid, payload.WrittenSpan)
            : Handler.CreateToken(Encoding.UTF8.GetString(payload.WrittenSpan), credentials, new Dictionary<string, object> { ["typ"] = "JWT" });
        return new IssuedIdentityToken(token, jti, attestation, DateTimeOffset.FromUnixTimeSeconds(expires), (int)(expires - issuedAt));
    }

    /// <summary>Compact JWS: the cached header, the payload encoded once, and a P1363 ES256 signature over both.</summary>
    private string Sign(ECDsa signer, string kid, ReadOnlySpan<byte> payload)
    {
        var header = _header is { } cached && string.Equals(cached.Kid, kid, StringComparison.Ordinal) ? cached : _header = EncodedHeader.For(kid);
        var payloadLength = Base64Url.GetEncodedLength(payload.Length);
        var inputLength = header.Ascii.Length + 1 + payloadLength;
        var buffer = ArrayPool<byte>.Shared.Rent(inputLength + 1 + SignatureChars);
        try
        {
            header.Ascii.CopyTo(buffer, 0);
            buffer[header.Ascii.Length] = (byte)'.';
            Base64Url.EncodeToUtf8(payload, buffer.AsSpan(header.Ascii.Length + 1, payloadLength));
            Span<byte> signature = stackalloc byte[SignatureBytes];
            if (signer.SignData(buffer.AsSpan(0, inputLength), signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation) != SignatureBytes)
            {
                throw new CryptographicException("an ES256 signature must be 64 bytes");
            }

            buffer[inputLength] = (byte)'.';
            Base64Url.EncodeToUtf8(signature, buffer.AsSpan(inputLength + 1, SignatureChars));
            return Encoding.ASCII.GetString(buffer, 0, inputLength + 1 + SignatureChars);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // The payload is written into this thread's buffer and signed before the thread yields, so every
    // issuance reuses one buffer and one JSON writer instead of allocating them.
    private ArrayBufferWriter<byte> Payload(Attestation attestation, string audience, long issuedAt, long expires, string jti)
    {
        var buffer = t_payload ??= new ArrayBufferWriter<byte>(512);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer);
        writer.Reset(buffer);
        writer.WriteStartObject();
        writer.WriteString("iss", endpoints.Issuer);
        writer.WriteString("sub", attestation.Agent.SpiffeId.ToString());
        writer.WriteString("aud", audience);
        writer.WriteNumber("iat", issuedAt);
        writer.WriteNumber("exp", expires);
        writer.WriteString("jti", jti);
        writer.WriteStartObject("writ_attestation");
        writer.WriteString("method", WireName.Of(attestation.Method));
        if (attestation.Issuer is not null)
        {
            writer.WriteString("issuer", attestation.Issuer);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.Flush();

        return buffer;
    }

    private sealed record EncodedHeader(string Kid, byte[] Ascii)
    {
        public static EncodedHeader For(string kid)
        {
            var buffer = new ArrayBufferWriter<byte>(128);
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteString("alg", "ES256");
                writer.WriteString("kid", kid);
                writer.WriteString("typ", "JWT");
                writer.WriteEndObject();
            }

            return new EncodedHeader(kid, Encoding.ASCII.GetBytes(Base64Url.EncodeToString(buffer.WrittenSpan)));
        }
    }
}

/// <summary>An issued identity token and the facts the endpoint reports about it.</summary>
/// <param name="Token">The compact JWT-SVID.</param>
/// <param name="Jti">Its <c>jti</c>.</param>
/// <param name="Attestation">How the agent attested.</param>
/// <param name="ExpiresAt">Its <c>exp</c>.</param>
/// <param name="ExpiresIn">Seconds until it expires.</param>
public sealed record IssuedIdentityToken(string Token, string Jti, Attestation Attestation, DateTimeOffset ExpiresAt, int ExpiresIn);
