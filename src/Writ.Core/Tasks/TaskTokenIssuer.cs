using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using Writ.Core.Identity;
using Writ.Core.Keys;

namespace Writ.Core.Tasks;

/// <summary>Signs task tokens: ES256 with the active key of Writ's key ring, <c>typ</c> <c>writ-task+jwt</c>.</summary>
internal sealed class TaskTokenIssuer(KeyRing keys, ITokenServiceEndpoints endpoints)
{
    private const int SignatureBytes = 64;

    public async Task<string> SignAsync(TaskTokenClaims claims, CancellationToken cancellationToken)
    {
        var credentials = await keys.GetSigningCredentialsAsync(cancellationToken);
        if (credentials.Key is not ECDsaSecurityKey { ECDsa: { } signer, KeyId: { Length: > 0 } kid } || credentials.Algorithm != SecurityAlgorithms.EcdsaSha256)
        {
            throw new KeyRingException("the active signing key is not an ES256 key");
        }

        var header = Base64Url.EncodeToString(Json(w =>
        {
            w.WriteString("alg", "ES256");
            w.WriteString("kid", kid);
            w.WriteString("typ", TaskTokenTypes.Typ);
        }));
        var payload = Base64Url.EncodeToString(Json(w => WritePayload(w, claims)));
        var input = header + "." + payload;
        var signature = new byte[SignatureBytes];
        if (signer.SignData(Encoding.ASCII.GetBytes(input), signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation) != SignatureBytes)
        {
            throw new CryptographicException("an ES256 signature must be 64 bytes");
        }

        return input + "." + Base64Url.EncodeToString(signature);
    }

    private void WritePayload(Utf8JsonWriter writer, TaskTokenClaims claims)
    {
        writer.WriteString("iss", endpoints.Issuer);
        writer.WriteString("sub", claims.Subject);
        writer.WriteString("aud", claims.Audience);
        writer.WriteNumber("iat", claims.IssuedAt.ToUnixTimeSeconds());
        writer.WriteNumber("exp", claims.ExpiresAt.ToUnixTimeSeconds());
        writer.WriteString("jti", claims.Jti);
        writer.WriteString(TaskTokenTypes.TaskIdClaim, claims.TaskId);
        if (claims.Actors.Count > 0)
        {
            writer.WritePropertyName("act");
            WriteActor(writer, claims.Actors, 0);
        }

        writer.WriteStartArray("authorization_details");
        claims.Intent.WriteTo(writer);
        writer.WriteEndArray();
        writer.WriteString(TaskTokenTypes.OwnerClaim, claims.Owner);
        writer.WriteStartObject(TaskTokenTypes.AttestationClaim);
        writer.WriteString("method", claims.Attestation.Method);
        if (claims.Attestation.Issuer is not null)
        {
            writer.WriteString("issuer", claims.Attestation.Issuer);
        }

        writer.WriteEndObject();
        if (claims.User is not null)
        {
            writer.WriteStartObject(TaskTokenTypes.UserClaim);
            writer.WriteString("iss", claims.User.Issuer);
            writer.WriteString("sub", claims.User.Subject);
            writer.WriteEndObject();
        }

        if (claims.ParentTaskId is not null)
        {
            writer.WriteString(TaskTokenTypes.ParentClaim, claims.ParentTaskId);
        }

        if (claims.Jkt is not null)
        {
            writer.WriteStartObject("cnf");
            writer.WriteString("jkt", claims.Jkt);
            writer.WriteEndObject();
        }
    }

    // RFC 8693 §4.1: the current actor is the outermost act; earlier actors nest inside it.
    private static void WriteActor(Utf8JsonWriter writer, IReadOnlyList<string> actors, int index)
    {
        writer.WriteStartObject();
        writer.WriteString("sub", actors[index]);
        if (index + 1 < actors.Count)
        {
            writer.WritePropertyName("act");
            WriteActor(writer, actors, index + 1);
        }

        writer.WriteEndObject();
    }

    private static byte[] Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
