using System.Security.Cryptography;

namespace Writ.Sdk;

/// <summary>An RFC 7523 assertion signed by the agent's registered key: short-lived, one-time (fresh <c>jti</c>).</summary>
internal sealed class RegisteredKeyAttestation(string agentId, string keyId, ECDsa key) : AgentAttestation
{
    // Writ refuses assertions that live longer than five minutes; one minute is plenty for one request.
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    public override bool Repeatable => true;

    internal override ValueTask<IReadOnlyList<KeyValuePair<string, string>>> CreateGrantAsync(AttestationContext context, CancellationToken cancellationToken)
    {
        var now = context.Time.GetUtcNow().ToUnixTimeSeconds();
        var assertion = Jws.SignEs256(
            key,
            header =>
            {
                header.WriteString("alg", "ES256");
                header.WriteString("typ", "JWT");
                header.WriteString("kid", keyId);
            },
            payload =>
            {
                payload.WriteString("iss", agentId);
                payload.WriteString("sub", agentId);
                payload.WriteString("aud", context.TokenEndpoint);
                payload.WriteNumber("iat", now);
                payload.WriteNumber("exp", now + (long)Lifetime.TotalSeconds);
                payload.WriteString("jti", Jws.NewId());
            });
        IReadOnlyList<KeyValuePair<string, string>> grant =
        [
            new("grant_type", GrantTypes.JwtBearer),
            new("assertion", assertion),
        ];
        return ValueTask.FromResult(grant);
    }
}
