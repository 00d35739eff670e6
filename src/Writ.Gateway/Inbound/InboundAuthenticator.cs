using Writ.Core.Revocation;
using Writ.Core.Tasks;
using Writ.Gateway.Configuration;

namespace Writ.Gateway.Inbound;

/// <summary>
/// Admits a request as the MCP authorization specification asks of a resource server: a Writ task token
/// for this gateway's audience (verified offline against Writ's JWKS), a DPoP proof when the token is
/// bound (<c>cnf.jkt</c>), and no revocation known from Writ's stream. A token verified once is remembered until it
/// expires (<see cref="VerifiedTokenCache"/>); the DPoP proof and the revocation set are checked on every request.
/// </summary>
internal sealed class InboundAuthenticator(TaskTokenValidator validator, VerifiedTokenCache verified, DpopProofValidator dpop, IRevocationCheck revocations, GatewaySettings settings)
{
    private const int MaxTokenLength = 16 * 1024;

    public async Task<InboundResult> AuthenticateAsync(HttpContext context, string requestUrl, CancellationToken cancellationToken)
    {
        var header = context.Request.Headers.Authorization;
        if (header.Count == 0)
        {
            return InboundResult.Challenge(null, null);
        }

        if (header.Count > 1 || header[0] is not { } value)
        {
            return InboundResult.Challenge("invalid_request", "send one Authorization header");
        }

        var space = value.IndexOf(' ', StringComparison.Ordinal);
        var scheme = space < 0 ? value : value[..space];
        var token = space < 0 ? string.Empty : value[(space + 1)..].Trim();
        var isDpop = string.Equals(scheme, "DPoP", StringComparison.OrdinalIgnoreCase);
        if (!isDpop && !string.Equals(scheme, "Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return InboundResult.Challenge("invalid_request", "use the Bearer or DPoP authorization scheme with a Writ task token");
        }

        if (token.Length is 0 or > MaxTokenLength)
        {
            return InboundResult.Challenge("invalid_token", "the access token is missing or too long");
        }

        if (verified.Find(token) is not { } known)
        {
            var result = await validator.ValidateAsync(token, settings.Audience, cancellationToken);
            if (result.Claims is null)
            {
                return InboundResult.Challenge("invalid_token", result.Error ?? "the access token is not a Writ task token for this gateway");
            }

            known = verified.Add(token, result.Claims);
        }

        var claims = known.Claims;

        if (claims.Jkt is not null)
        {
            var proofs = context.Request.Headers["DPoP"];
            if (!isDpop || proofs.Count != 1)
            {
                return InboundResult.Challenge("invalid_token", "the task token is bound to a key (cnf.jkt): send it with the DPoP scheme and one DPoP proof", dpop: true);
            }

            var (jkt, error) = await dpop.ValidateAsync(proofs[0], context.Request.Method, requestUrl, token, cancellationToken);
            if (jkt is null)
            {
                return InboundResult.Challenge("invalid_dpop_proof", error ?? "the DPoP proof is invalid", dpop: true);
            }

            if (!System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(jkt), System.Text.Encoding.ASCII.GetBytes(claims.Jkt)))
            {
                return InboundResult.Challenge("invalid_dpop_proof", "the DPoP proof is signed by another key than the one the token is bound to", dpop: true);
            }
        }
        else if (isDpop)
        {
            return InboundResult.Challenge("invalid_token", "the task token is not bound to a key; send it with the Bearer scheme");
        }

        if (revocations.IsRevoked(new RevocationQuery(claims.IssuedAt, claims.Jti, known.KeyId, claims.TaskId, known.Agents, claims.Owner)))
        {
            return InboundResult.Challenge("invalid_token", "the task token has been revoked");
        }

        return InboundResult.Ok(claims, token);
    }
}

/// <summary>Whether a token is revoked; the revocation subscriber in production.</summary>
internal interface IRevocationCheck
{
    bool IsRevoked(in RevocationQuery query);
}

/// <summary>The revocation check backed by Writ's revocation stream.</summary>
internal sealed class SubscriberRevocationCheck(RevocationSubscriber subscriber) : IRevocationCheck
{
    public bool IsRevoked(in RevocationQuery query) => subscriber.IsRevoked(query);
}

/// <summary>The admitted task, or the challenge to answer with.</summary>
internal sealed record InboundResult(TaskTokenClaims? Claims, string? Token, string? Error, string? Description, bool Dpop)
{
    public static InboundResult Ok(TaskTokenClaims claims, string token) => new(claims, token, null, null, false);

    public static InboundResult Challenge(string? error, string? description, bool dpop = false) => new(null, null, error, description, dpop);
}
