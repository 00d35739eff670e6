using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Writ.Core.Identity;
using Writ.Core.Keys;
using Writ.Core.Security;

namespace Writ.Core.Revocation;

/// <summary>
/// Writes Security Event Tokens (RFC 8417) for Shared Signals streams: <c>typ</c> <c>secevent+jwt</c>,
/// ES256 by the key ring's signing key, with <c>iss</c>, <c>aud</c>, <c>iat</c>, a fresh <c>jti</c>, <c>txn</c>
/// (the revocation event id), the subject as an RFC 9493 <c>sub_id</c>, and one event in <c>events</c>, which always
/// carries a non-empty <c>reason_admin</c>.
/// </summary>
public sealed class SecurityEventTokenWriter(KeyRing keys, ITokenServiceEndpoints endpoints, TimeProvider time)
{
    /// <summary>The JOSE <c>typ</c> of every SET.</summary>
    public const string Type = "secevent+jwt";

    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    /// <summary>The SET announcing <paramref name="revocation"/> to <paramref name="audience"/>, with its jti.</summary>
    public async Task<QueuedSet> ForRevocationAsync(RevocationEvent revocation, string audience, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(revocation);
        return await SignAsync(audience, revocation.Id.ToString(CultureInfo.InvariantCulture), w => WriteSubject(w, revocation), w =>
        {
            var type = SharedSignalsEvents.For(revocation.Kind);
            w.WriteStartObject(type);
            w.WriteNumber("event_timestamp", revocation.At.ToUnixTimeSeconds());
            w.WriteString("initiating_entity", "admin");
            if (type == SharedSignalsEvents.CredentialChange)
            {
                // CAEP's list has no entry for a token signing key or an upstream secret; "app" is the nearest (a machine credential).
                w.WriteString("credential_type", "app");
                w.WriteString("change_type", "revoke");
            }

            // The CAEP interoperability profile requires a non-empty reason_admin on both events.
            w.WriteStartObject("reason_admin");
            w.WriteString("en", string.IsNullOrWhiteSpace(revocation.Cause) ? DefaultReason(revocation.Kind) : revocation.Cause);
            w.WriteEndObject();

            w.WriteEndObject();
        }, cancellationToken);
    }

    /// <summary>The verification SET of a stream (SSF §8.1.4), echoing the receiver's <paramref name="state"/>.</summary>
    public Task<QueuedSet> VerificationAsync(string streamId, string audience, string? state, CancellationToken cancellationToken) =>
        SignAsync(audience, null, w => WriteOpaque(w, streamId), w =>
        {
            w.WriteStartObject(SharedSignalsEvents.Verification);
            if (state is not null)
            {
                w.WriteString("state", state);
            }

            w.WriteEndObject();
        }, cancellationToken);

    private static string DefaultReason(RevocationKind kind) => kind switch
    {
        RevocationKind.Token => "token revoked",
        RevocationKind.Task => "task revoked",
        RevocationKind.Agent => "agent revoked",
        RevocationKind.Owner => "owner revoked",
        RevocationKind.Connection => "connection revoked",
        RevocationKind.Key => "signing key revoked",
        RevocationKind.Lease => "lease revoked",
        _ => "revoked",
    };

    private static void WriteOpaque(Utf8JsonWriter w, string id)
    {
        w.WriteStartObject("sub_id");
        w.WriteString("format", "opaque");
        w.WriteString("id", id);
        w.WriteEndObject();
    }

    private void WriteSubject(Utf8JsonWriter w, RevocationEvent revocation)
    {
        switch (revocation.Kind)
        {
            case RevocationKind.Token:
                w.WriteStartObject("sub_id");
                w.WriteString("format", "jwt_id");
                w.WriteString("iss", endpoints.Issuer);
                w.WriteString("jti", revocation.Subject);
                w.WriteEndObject();
                break;
            case RevocationKind.Agent:
                // The agent is the sub of the identity tokens this issuer gave it: iss_sub is the RFC 9493 format
                // that says so, and one the CAEP interoperability profile requires receivers to understand.
                w.WriteStartObject("sub_id");
                w.WriteString("format", "iss_sub");
                w.WriteString("iss", endpoints.Issuer);
                w.WriteString("sub", revocation.Subject);
                w.WriteEndObject();
                break;
            default:
                WriteOpaque(w, revocation.Subject);
                break;
        }
    }

    private async Task<QueuedSet> SignAsync(string audience, string? txn, Action<Utf8JsonWriter> subject, Action<Utf8JsonWriter> events, CancellationToken cancellationToken)
    {
        var credentials = await keys.GetSigningCredentialsAsync(cancellationToken);
        var now = time.GetUtcNow();
        var jti = RandomToken.Create(16);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("iss", endpoints.Issuer);
            w.WriteString("aud", audience);
            w.WriteNumber("iat", now.ToUnixTimeSeconds());
            w.WriteString("jti", jti);
            if (txn is not null)
            {
                w.WriteString("txn", txn);
            }

            subject(w);
            w.WriteStartObject("events");
            events(w);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        var token = Handler.CreateToken(Encoding.UTF8.GetString(buffer.ToArray()), credentials, new Dictionary<string, object> { ["typ"] = Type });
        return new QueuedSet(jti, token, now);
    }
}
