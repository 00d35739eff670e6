using System.Security.Cryptography;

namespace Writ.Sdk;

/// <summary>
/// How a running agent proves it is a registered agent when it asks Writ for an identity token:
/// a one-time <see cref="JoinToken"/>, an assertion signed by its <see cref="RegisteredKey(string, string, ECDsa)"/>,
/// or a token from a trusted <see cref="ExternalToken"/> issuer (Kubernetes, CI, another trust domain).
/// </summary>
public abstract class AgentAttestation
{
    private protected AgentAttestation()
    {
    }

    /// <summary>
    /// True when the method can be used again for the next identity token. A join token works once, so it
    /// needs a follow-up method (see <see cref="JoinToken"/>).
    /// </summary>
    public abstract bool Repeatable { get; }

    /// <summary>
    /// A one-time join token created by an admin (<c>writ join-token create</c>). It buys exactly one identity
    /// token; renewal then uses <paramref name="thenRenewWith"/> (typically <see cref="RegisteredKey(string, string, ECDsa)"/>
    /// after the admin registered the agent's key). Without one, renewal fails with a <see cref="WritAttestationException"/>
    /// that says so.
    /// </summary>
    public static AgentAttestation JoinToken(string joinToken, AgentAttestation? thenRenewWith = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(joinToken);
        if (thenRenewWith is JoinTokenAttestation)
        {
            throw new ArgumentException("a join token cannot renew: give a registered key or an external token provider", nameof(thenRenewWith));
        }

        return new JoinTokenAttestation(joinToken, thenRenewWith);
    }

    /// <summary>
    /// A signed RFC 7523 assertion from the agent's registered P-256 key. <paramref name="agentId"/> is the
    /// agent's SPIFFE ID (<c>spiffe://domain/agent/name</c>); <paramref name="keyId"/> the <c>kid</c> it was registered with.
    /// The key stays owned by the caller.
    /// </summary>
    public static AgentAttestation RegisteredKey(string agentId, string keyId, ECDsa key)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(agentId);
        ArgumentException.ThrowIfNullOrWhiteSpace(keyId);
        ArgumentNullException.ThrowIfNull(key);
        if (!agentId.StartsWith("spiffe://", StringComparison.Ordinal))
        {
            throw new ArgumentException("the agent id is its SPIFFE ID, e.g. spiffe://writ.local/agent/research", nameof(agentId));
        }

        if (key.KeySize != 256)
        {
            throw new ArgumentException("the registered key must be an ECDsa P-256 key (ES256)", nameof(key));
        }

        return new RegisteredKeyAttestation(agentId, keyId, key);
    }

    /// <summary>
    /// A signed assertion from the agent's registered key given as a private EC P-256 JWK (with <c>d</c> and a <c>kid</c>).
    /// </summary>
    public static AgentAttestation RegisteredKey(string agentId, string privateJwk)
    {
        var (keyId, key) = PrivateJwk.Read(privateJwk);
        return RegisteredKey(agentId, keyId, key);
    }

    /// <summary>
    /// A token from a trusted external issuer, read fresh from <paramref name="tokenProvider"/> for every identity
    /// token (for example a projected Kubernetes service account token file).
    /// </summary>
    public static AgentAttestation ExternalToken(Func<CancellationToken, ValueTask<string>> tokenProvider)
    {
        ArgumentNullException.ThrowIfNull(tokenProvider);
        return new ExternalTokenAttestation(tokenProvider);
    }

    /// <summary>The grant parameters for one token request.</summary>
    internal abstract ValueTask<IReadOnlyList<KeyValuePair<string, string>>> CreateGrantAsync(AttestationContext context, CancellationToken cancellationToken);
}
