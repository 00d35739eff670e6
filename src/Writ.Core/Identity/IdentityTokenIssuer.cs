using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
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
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    public async Task<IssuedIdentityToken> IssueAsync(Attestation attestation, string audience, CancellationToken cancellationToken)
    {
        var credentials = await keys.GetSigningCredentialsAsync(cancellationToken);
        var now = time.GetUtcNow();
        var issuedAt = now.ToUnixTimeSeconds();
        var lifetime = options.Lifetime > IdentityTokenOptions.MaxLifetime ? IdentityTokenOptions.MaxLifetime : options.Lifetime;
        var expires = issuedAt + (long)lifetime.TotalSeconds;
        var jti = RandomToken.Create(16);
        var payload = Payload(attestation, audience, issuedAt, expires, jti);
        var token = Handler.CreateToken(payload, credentials, new Dictionary<string, object> { ["typ"] = "JWT" });
        return new IssuedIdentityToken(token, jti, attestation, DateTimeOffset.FromUnixTimeSeconds(expires), (int)(expires - issuedAt));
    }

    private string Payload(Attestation attestation, string audience, long issuedAt, long expires, string jti)
    {
        using var buffer = new MemoryStream(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
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
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}

/// <summary>An issued identity token and the facts the endpoint reports about it.</summary>
/// <param name="Token">The compact JWT-SVID.</param>
/// <param name="Jti">Its <c>jti</c>.</param>
/// <param name="Attestation">How the agent attested.</param>
/// <param name="ExpiresAt">Its <c>exp</c>.</param>
/// <param name="ExpiresIn">Seconds until it expires.</param>
public sealed record IssuedIdentityToken(string Token, string Jti, Attestation Attestation, DateTimeOffset ExpiresAt, int ExpiresIn);
