using Microsoft.IdentityModel.JsonWebTokens;
using Writ.Core.Admin;
using Writ.Core.Clients;
using Writ.Core.Revocation;
using Writ.Core.Tasks;
using Writ.Server.Endpoints.Tasks;

namespace Writ.Server.Endpoints.Revocation;

/// <summary>
/// Who may follow revocations: an unscoped admin token (<c>Bearer</c>), or a registered client with its secret
/// (<c>Basic</c>, as at the introspection endpoint) see every event. Owner-scoped admin tokens may not: the stream
/// names every owner's agents. An agent presenting its task token (<c>Bearer</c>, or <c>DPoP</c> with a proof of
/// its key for this GET) sees only the events that end that token — its task, its <c>jti</c>, its agents and owner
/// (revoked at or after the token was issued), its signing key — until the token expires.
/// </summary>
internal static class StreamAuthentication
{
    private const string BoundAsBearer = "the task token is DPoP-bound: present it as Authorization: DPoP <task token> with a DPoP proof";

    public static async Task<StreamCaller?> AuthenticateAsync(HttpContext http, string endpointUrl)
    {
        var header = http.Request.Headers.Authorization;
        if (header.Count != 1 || header[0] is not { } value)
        {
            return null;
        }

        if (value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && !LooksLikeJwt(value["Bearer ".Length..].Trim()))
        {
            var admins = http.RequestServices.GetRequiredService<AdminAuthenticator>();
            var caller = await admins.AuthenticateAsync(value["Bearer ".Length..].Trim(), http.RequestAborted);
            return caller is { IsScoped: false } ? new StreamCaller("admin:" + caller.Name, null, null, null) : null;
        }

        if (value.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            var clients = http.RequestServices.GetRequiredService<ClientAuthenticator>();
            var auth = await clients.AuthenticateAsync(value, new Dictionary<string, string>(), endpointUrl, http.RequestAborted);
            return auth is { Error: null, Client: { } client } ? new StreamCaller("client:" + client.Name, null, null, null) : null;
        }

        if (value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || value.StartsWith("DPoP ", StringComparison.OrdinalIgnoreCase))
        {
            var dpopScheme = value.StartsWith("DPoP ", StringComparison.OrdinalIgnoreCase);
            var presented = TaskTokenRequest.Read(http.Request);
            if (presented.Error is not null)
            {
                return Refused(new TaskTokenRefusal(http.Request.Headers["DPoP"].Count > 1 ? "invalid_dpop_proof" : "invalid_token", presented.Error, dpopScheme));
            }

            var tasks = http.RequestServices.GetRequiredService<TaskLifecycle>();
            var authenticated = await tasks.AuthenticateAsync(presented.Token, presented.Proof, HttpMethods.Get, endpointUrl, http.RequestAborted);
            if (authenticated.Claims is not { } claims)
            {
                // A proof failing under the Bearer scheme means a bound token was sent as a bearer token.
                return Refused(authenticated.InvalidProof && !dpopScheme
                    ? new TaskTokenRefusal("invalid_token", BoundAsBearer, true)
                    : new TaskTokenRefusal(authenticated.InvalidProof ? "invalid_dpop_proof" : "invalid_token", authenticated.Error!, dpopScheme || authenticated.InvalidProof));
            }

            // RFC 9449 §7.2: a bound token is accepted only under the DPoP scheme, and the DPoP scheme only with a bound token.
            if (claims.Jkt is not null && !dpopScheme)
            {
                return Refused(new TaskTokenRefusal("invalid_token", BoundAsBearer, true));
            }

            if (claims.Jkt is null && dpopScheme)
            {
                return Refused(new TaskTokenRefusal("invalid_token", "the task token is not DPoP-bound: present it as Authorization: Bearer <task token>", false));
            }

            return new StreamCaller("task:" + claims.TaskId, Filter(claims, KeyId(presented.Token!)), claims.ExpiresAt, null);
        }

        return null;
    }

    /// <summary>RFC 6750 §3 and RFC 9449 §7.1: a 401 names every scheme accepted here, with an error code only for a refused bearer credential.</summary>
    public static IResult Challenge(HttpRequest request) => new ChallengeResult(
        Results.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Credentials required",
            detail: "present an unscoped admin token (Authorization: Bearer <token>), a registered client's secret (Authorization: Basic), or a task token to follow that task's revocations",
            extensions: new Dictionary<string, object?> { ["code"] = "unauthorized" }),
        request.Headers.Authorization.Count == 1 && request.Headers.Authorization[0]!.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase));

    private static StreamCaller Refused(TaskTokenRefusal refusal) => new(string.Empty, null, null, refusal);

    private static bool LooksLikeJwt(string token) => token.Count(c => c == '.') == 2;

    private static string? KeyId(string token)
    {
        try
        {
            return new JsonWebToken(token).Kid;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    // An agent sees what ends its own token and nothing about anyone else.
    private static Func<RevocationEvent, bool> Filter(TaskTokenClaims claims, string? keyId)
    {
        var agents = new HashSet<string>(claims.Chain, StringComparer.Ordinal) { claims.ActingAgent, claims.Subject };
        return revocation => revocation.Kind switch
        {
            RevocationKind.Task => revocation.Subject == claims.TaskId,
            RevocationKind.Token => revocation.Subject == claims.Jti,
            RevocationKind.Key => revocation.Subject == keyId,
            RevocationKind.Agent => agents.Contains(revocation.Subject) && claims.IssuedAt <= revocation.At,
            RevocationKind.Owner => revocation.Subject == claims.Owner && claims.IssuedAt <= revocation.At,
            _ => false,
        };
    }
}

/// <summary>An authenticated stream subscriber: its name, the events it may see (null: all), until when, or why its task token was refused.</summary>
internal sealed record StreamCaller(string Name, Func<RevocationEvent, bool>? Filter, DateTimeOffset? Until, TaskTokenRefusal? Refusal);

/// <summary>
/// Why a task token was refused: the RFC 6750 or RFC 9449 error code, a description, and whether to challenge with DPoP;
/// <c>NoCredentials</c> when none were presented, which RFC 6750 §3.1 challenges without an error code.
/// </summary>
internal sealed record TaskTokenRefusal(string Error, string Description, bool Dpop, bool NoCredentials = false);
