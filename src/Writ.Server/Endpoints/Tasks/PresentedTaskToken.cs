using Writ.Core.Identity;
using Writ.Core.Tasks;
using Writ.Server.Endpoints.Revocation;

namespace Writ.Server.Endpoints.Tasks;

/// <summary>
/// The task token an agent presents to an endpoint of its own (task complete and cancel, the lease endpoints), authenticated for that request: a DPoP-bound token only
/// as <c>Authorization: DPoP</c> with a proof of its key for this method and URL (RFC 9449 §7.1: <c>htm</c>,
/// <c>htu</c>, <c>ath</c>, fresh <c>iat</c>, unused <c>jti</c>), an unbound one only as <c>Bearer</c> (§7.2).
/// A refusal says which challenge to answer with (<see cref="TaskTokenChallengeResult"/>).
/// </summary>
internal static class PresentedTaskToken
{
    private const string BoundAsBearer = "the task token is DPoP-bound: present it as Authorization: DPoP <task token> with a DPoP proof";

    public static async Task<(TaskTokenAuthentication? Authenticated, TaskTokenRefusal? Refusal)> AuthenticateAsync(HttpContext http, string path)
    {
        var dpopScheme = http.Request.Headers.Authorization is { Count: 1 } header && header[0]!.StartsWith("DPoP ", StringComparison.OrdinalIgnoreCase);
        var presented = TaskTokenRequest.Read(http.Request);
        if (http.Request.Headers.Authorization.Count == 0)
        {
            // RFC 6750 §3.1: a request without any credentials is challenged without an error code.
            return (null, new TaskTokenRefusal(string.Empty, presented.Error ?? "present the task token", false, NoCredentials: true));
        }

        if (presented.Error is not null)
        {
            return (null, new TaskTokenRefusal(http.Request.Headers["DPoP"].Count > 1 ? "invalid_dpop_proof" : "invalid_token", presented.Error, dpopScheme));
        }

        var tasks = http.RequestServices.GetRequiredService<TaskLifecycle>();
        var issuer = http.RequestServices.GetRequiredService<ITokenServiceEndpoints>().Issuer;
        var authenticated = await tasks.AuthenticateAsync(presented.Token, presented.Proof, HttpMethods.Post, issuer.TrimEnd('/') + path, http.RequestAborted);
        if (authenticated.Claims is not { } claims)
        {
            // A proof failing under the Bearer scheme means a bound token was sent as a bearer token.
            return (null, authenticated.InvalidProof && !dpopScheme
                ? new TaskTokenRefusal("invalid_token", BoundAsBearer, true)
                : new TaskTokenRefusal(authenticated.InvalidProof ? "invalid_dpop_proof" : "invalid_token", authenticated.Error!, dpopScheme || authenticated.InvalidProof));
        }

        // A bound token accepted as Bearer would be a downgrade any resource ignoring DPoP could be tricked into.
        return (claims.Jkt is not null, dpopScheme) switch
        {
            (true, false) => (null, new TaskTokenRefusal("invalid_token", BoundAsBearer, true)),
            (false, true) => (null, new TaskTokenRefusal("invalid_token", "the task token is not DPoP-bound: present it as Authorization: Bearer <task token>", false)),
            _ => (authenticated, null),
        };
    }
}
