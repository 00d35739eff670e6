using Writ.Core.Domain;
using Writ.Core.Security;
using Writ.Core.Storage;

namespace Writ.Core.Identity;

/// <summary>
/// Join token attestation: the token is looked up by its public id and the agent checked first,
/// then consumed atomically, so a refused exchange leaves the token usable and a token is used once.
/// </summary>
internal sealed class JoinTokenAttestor(IWritStore store, TimeProvider time)
{
    public async Task<OAuthResult<Attestation>> AttestAsync(string? subjectToken, CancellationToken cancellationToken)
    {
        if (subjectToken is null)
        {
            return OAuthError.Request("'subject_token' (the join token) is required");
        }

        var id = JoinTokenFormat.TryGetId(subjectToken);
        var record = id is null ? null : await store.JoinTokens.GetAsync(id, cancellationToken);
        var now = time.GetUtcNow();
        if (record is null || !SecretHash.Matches(subjectToken, record.SecretHash))
        {
            return OAuthError.Grant("the join token is not valid");
        }

        if (record.ConsumedAt is not null)
        {
            return OAuthError.Grant("the join token has already been used");
        }

        if (record.ExpiresAt <= now)
        {
            return OAuthError.Grant("the join token has expired; ask an admin for a new one");
        }

        var agent = await store.Agents.GetAsync(record.Agent, cancellationToken);
        if (AgentGate.Refuse(agent, AttestationMethod.JoinToken) is { } refusal)
        {
            return refusal;
        }

        var consumed = await store.JoinTokens.TryConsumeAsync(record.SecretHash, now, cancellationToken);
        if (!consumed.Consumed || consumed.Token!.Id != record.Id)
        {
            return OAuthError.Grant(consumed.Outcome == JoinTokenConsumeOutcome.Expired
                ? "the join token has expired; ask an admin for a new one"
                : "the join token has already been used");
        }

        return new Attestation(agent!, AttestationMethod.JoinToken, null);
    }
}
