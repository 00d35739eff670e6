namespace Writ.Sdk;

/// <summary>A one-time join token; after it bought one identity token, the follow-up method (if any) takes over.</summary>
internal sealed class JoinTokenAttestation(string joinToken, AgentAttestation? thenRenewWith) : AgentAttestation
{
    private int used;

    public override bool Repeatable => false;

    public AgentAttestation? RenewWith => thenRenewWith;

    public bool Used => Volatile.Read(ref used) == 1;

    internal override ValueTask<IReadOnlyList<KeyValuePair<string, string>>> CreateGrantAsync(AttestationContext context, CancellationToken cancellationToken)
    {
        IReadOnlyList<KeyValuePair<string, string>> grant =
        [
            new("grant_type", GrantTypes.TokenExchange),
            new("subject_token_type", GrantTypes.JoinToken),
            new("subject_token", joinToken),
        ];
        return ValueTask.FromResult(grant);
    }

    /// <summary>Called once the server accepted the join token: it never goes out again.</summary>
    public void MarkUsed() => Volatile.Write(ref used, 1);
}
