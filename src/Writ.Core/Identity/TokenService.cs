using Writ.Core.Audit;
using Writ.Core.Domain;
using Writ.Core.Keys;
using Writ.Core.Storage;

namespace Writ.Core.Identity;

/// <summary>
/// The token endpoint's logic: reads the grant, checks every request parameter before attesting (so a
/// malformed request consumes no join token and records no <c>jti</c>), attests the agent, and mints its
/// identity token.
/// </summary>
public sealed class TokenService
{
    private static readonly string ReplayedReason = RegisteredKeyAttestor.Replayed.Error + ": " + Sanitize(RegisteredKeyAttestor.Replayed.Description);
    private static readonly IReadOnlyDictionary<string, string> RegisteredKeyDetail =
        new Dictionary<string, string>(StringComparer.Ordinal) { ["method"] = WireName.Of(AttestationMethod.RegisteredKey) }.AsReadOnly();

    private readonly JoinTokenAttestor joinTokens;
    private readonly RegisteredKeyAttestor registeredKeys;
    private readonly ExternalIssuerAttestor externalIssuers;
    private readonly IdentityTokenIssuer issuer;
    private readonly IAuditLog audit;
    private readonly IReplayCache replayCache;

    /// <summary>Creates the service over the store, keys and clock of this process; it records to the audit log attached to the store.</summary>
    public TokenService(IWritStore store, KeyRing keys, ExternalJwksCache jwks, TrustDomain trustDomain, ITokenServiceEndpoints endpoints, IdentityTokenOptions options, TimeProvider time)
        : this(store, keys, jwks, trustDomain, endpoints, options, time, AuditLogs.For(store))
    {
    }

    /// <summary>Creates the service; every identity issued or refused is recorded in <paramref name="audit"/>.</summary>
    public TokenService(IWritStore store, KeyRing keys, ExternalJwksCache jwks, TrustDomain trustDomain, ITokenServiceEndpoints endpoints, IdentityTokenOptions options, TimeProvider time, IAuditLog audit)
    {
        ArgumentNullException.ThrowIfNull(audit);
        this.audit = audit;
        replayCache = store.ReplayCache;
        joinTokens = new JoinTokenAttestor(store, time);
        registeredKeys = new RegisteredKeyAttestor(store, trustDomain, endpoints, options, time);
        externalIssuers = new ExternalIssuerAttestor(store, jwks, options, time);
        issuer = new IdentityTokenIssuer(keys, endpoints, options, time);
    }

    /// <summary>Handles one token request given as its form parameters (already checked for duplicates).</summary>
    public async Task<OAuthResult<IssuedIdentityToken>> ExchangeAsync(IReadOnlyDictionary<string, string> parameters, CancellationToken cancellationToken)
    {
        if (!parameters.TryGetValue("grant_type", out var grantType))
        {
            return OAuthError.Request("'grant_type' is required");
        }

        if (grantType is not (TokenTypes.TokenExchangeGrant or TokenTypes.JwtBearerGrant))
        {
            return new OAuthError(OAuthError.UnsupportedGrantType, $"grant type '{Sanitize(grantType)}' is not supported; use token exchange or jwt-bearer");
        }

        var audience = RequestedAudience.From(parameters);
        if (!audience.Succeeded)
        {
            return audience.Error!;
        }

        if (parameters.TryGetValue("requested_token_type", out var requested) && requested != TokenTypes.Jwt)
        {
            return OAuthError.Request($"only '{TokenTypes.Jwt}' can be requested");
        }

        if (parameters.ContainsKey("actor_token") || parameters.ContainsKey("actor_token_type"))
        {
            return OAuthError.Request("delegation ('actor_token') is not supported on identity token requests");
        }

        if (grantType == TokenTypes.JwtBearerGrant)
        {
            return await RegisteredKeyAsync(Get(parameters, "assertion"), audience.Value!, cancellationToken);
        }

        if (!parameters.TryGetValue("subject_token_type", out var subjectType))
        {
            return OAuthError.Request("'subject_token_type' is required for token exchange");
        }

        if (!parameters.ContainsKey("subject_token"))
        {
            return OAuthError.Request("'subject_token' is required for token exchange");
        }

        var method = subjectType == TokenTypes.JoinToken ? WireName.Of(AttestationMethod.JoinToken) : WireName.Of(AttestationMethod.ExternalIssuer);
        var attestation = subjectType switch
        {
            TokenTypes.JoinToken => await joinTokens.AttestAsync(Get(parameters, "subject_token"), cancellationToken),
            TokenTypes.Jwt or TokenTypes.IdToken => await externalIssuers.AttestAsync(Get(parameters, "subject_token"), cancellationToken),
            _ => OAuthError.Request($"subject_token_type '{Sanitize(subjectType)}' is not supported; use {TokenTypes.JoinToken}, {TokenTypes.Jwt} or {TokenTypes.IdToken}"),
        };

        if (!attestation.Succeeded)
        {
            // Queued, not awaited to durability: refusals cost nothing to whoever provokes them,
            // but a log that cannot accept them still refuses (the caller answers 503).
            await audit.RecordAsync(Refused(method, attestation.Error!), cancellationToken);
            return attestation.Error!;
        }

        var issued = await issuer.IssueAsync(attestation.Value!, audience.Value!, cancellationToken);

        // The token leaves only once its issuance is durable in the audit log.
        await audit.RecordDurableAsync(Issued(issued), cancellationToken);
        return issued;
    }

    // The hot path: the assertion's jti is spent in the same durable commit as the issuance's audit
    // record, so a replay loses there and the token never leaves; a failed commit keeps neither.
    private async Task<OAuthResult<IssuedIdentityToken>> RegisteredKeyAsync(string? assertion, string audience, CancellationToken cancellationToken)
    {
        var method = WireName.Of(AttestationMethod.RegisteredKey);
        var verified = await registeredKeys.VerifyAsync(assertion, cancellationToken);
        if (!verified.Succeeded)
        {
            await audit.RecordAsync(Refused(method, verified.Error!), cancellationToken);
            return verified.Error!;
        }

        var (attestation, claim) = verified.Value!;
        if (audit is IClaimingAuditLog claiming)
        {
            var issued = await issuer.IssueAsync(attestation, audience, cancellationToken);
            var traceId = System.Diagnostics.Activity.Current?.TraceId.ToHexString();
            return await claiming.RecordDurableClaimingAsync(claim, Issued(issued, traceId), ReplayedAssertion(traceId), cancellationToken)
                ? issued
                : RegisteredKeyAttestor.Replayed;
        }

        // A log that cannot hold the claim in its own transaction: spend the jti first, in its own commit.
        if (!await replayCache.TryRecordAsync(claim.Scope, claim.Jti, claim.ExpiresAt, cancellationToken))
        {
            await audit.RecordAsync(Refused(method, RegisteredKeyAttestor.Replayed), cancellationToken);
            return RegisteredKeyAttestor.Replayed;
        }

        var fallback = await issuer.IssueAsync(attestation, audience, cancellationToken);
        await audit.RecordDurableAsync(Issued(fallback), cancellationToken);
        return fallback;
    }

    private static AuditEvent Issued(IssuedIdentityToken issued) => Issued(issued, System.Diagnostics.Activity.Current?.TraceId.ToHexString());

    // Built for every registered-key issuance and used only when its jti comes second: the fixed parts are shared.
    private static AuditEvent ReplayedAssertion(string? traceId) => new()
    {
        Type = AuditEventTypes.IdentityRefused,
        Decision = "refused",
        Reason = ReplayedReason,
        TraceId = traceId,
        Detail = RegisteredKeyDetail,
    };

    private static AuditEvent Issued(IssuedIdentityToken issued, string? traceId)
    {
        var attestation = issued.Attestation;
        var detail = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["method"] = WireName.Of(attestation.Method),
            ["jti"] = issued.Jti,
            ["expires_at"] = issued.ExpiresAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (attestation.Issuer is not null)
        {
            detail["issuer"] = attestation.Issuer;
        }

        return new AuditEvent
        {
            Type = AuditEventTypes.IdentityIssued,
            Agent = attestation.Agent.SpiffeId.ToString(),
            Owner = attestation.Agent.Owner,
            Target = attestation.Agent.Name,
            Decision = "issued",
            TraceId = traceId,
            Detail = detail,
        };
    }

    private static AuditEvent Refused(string method, OAuthError error) => new()
    {
        Type = AuditEventTypes.IdentityRefused,
        Decision = "refused",
        Reason = error.Error + ": " + Sanitize(error.Description),
        TraceId = System.Diagnostics.Activity.Current?.TraceId.ToHexString(),
        Detail = new Dictionary<string, string>(StringComparer.Ordinal) { ["method"] = method },
    };

    private static string? Get(IReadOnlyDictionary<string, string> parameters, string name) =>
        parameters.TryGetValue(name, out var value) ? value : null;

    private static string Sanitize(string value) => value.Length > 80 ? value[..80] + "…" : value;
}
