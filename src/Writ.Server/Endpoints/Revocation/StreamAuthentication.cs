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
            var presented = TaskTokenRequest.Read(http.Request);
            var tasks = http.RequestServices.GetRequiredService<TaskLifecycle>();
            var authenticated = presented.Error is null
                ? await tasks.AuthenticateAsync(presented.Token, presented.Proof, HttpMethods.Get, endpointUrl, http.RequestAborted)
                : new TaskTokenAuthentication(null, null, presented.Error);
            return authenticated.Claims is { } claims
                ? new StreamCaller("task:" + claims.TaskId, Filter(claims, KeyId(presented.Token!)), claims.ExpiresAt, null)
                : new StreamCaller(string.Empty, null, null, authenticated.Error);
        }

        return null;
    }

    public static IResult Challenge() =>
        Results.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Credentials required",
            detail: "present an unscoped admin token (Authorization: Bearer <token>), a registered client's secret (Authorization: Basic), or a task token to follow that task's revocations",
            extensions: new Dictionary<string, object?> { ["code"] = "unauthorized" });

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

/// <summary>An authenticated stream subscriber: its name, the events it may see (null: all), until when, or why it was refused.</summary>
internal sealed record StreamCaller(string Name, Func<RevocationEvent, bool>? Filter, DateTimeOffset? Until, string? TaskTokenError);
