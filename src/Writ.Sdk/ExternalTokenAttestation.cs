namespace Writ.Sdk;

/// <summary>A token from a trusted external issuer, exchanged as an RFC 8693 JWT subject token.</summary>
internal sealed class ExternalTokenAttestation(Func<CancellationToken, ValueTask<string>> tokenProvider) : AgentAttestation
{
    public override bool Repeatable => true;

    internal override async ValueTask<IReadOnlyList<KeyValuePair<string, string>>> CreateGrantAsync(AttestationContext context, CancellationToken cancellationToken)
    {
        var token = await tokenProvider(cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(token))
        {
            throw new WritAttestationException("invalid_request", "the external token provider returned no token");
        }

        return
        [
            new("grant_type", GrantTypes.TokenExchange),
            new("subject_token_type", GrantTypes.Jwt),
            new("subject_token", token.Trim()),
        ];
    }
}
