using Writ.Core.Identity;
using Writ.Core.Tasks;
using Writ.Server.Endpoints.Tasks;

namespace Writ.Server.Endpoints.Leases;

/// <summary>
/// The task token an agent presents to a lease endpoint, authenticated for that request: a DPoP-bound token only
/// as <c>Authorization: DPoP</c> with a proof of its key for this method and URL (RFC 9449 §7.1: <c>htm</c>,
/// <c>htu</c>, <c>ath</c>, fresh <c>iat</c>, unused <c>jti</c>), an unbound one only as <c>Bearer</c>.
/// </summary>
internal static class LeaseTaskToken
{
    public static async Task<TaskTokenAuthentication> AuthenticateAsync(HttpContext http, string path)
    {
        var presented = TaskTokenRequest.Read(http.Request);
        if (presented.Error is not null)
        {
            return new TaskTokenAuthentication(null, null, presented.Error);
        }

        var tasks = http.RequestServices.GetRequiredService<TaskLifecycle>();
        var issuer = http.RequestServices.GetRequiredService<ITokenServiceEndpoints>().Issuer;
        var authenticated = await tasks.AuthenticateAsync(presented.Token, presented.Proof, HttpMethods.Post, issuer.TrimEnd('/') + path, http.RequestAborted);
        if (authenticated.Claims is not { } claims)
        {
            return authenticated;
        }

        // A bound token sent as Bearer would let a resource that ignores DPoP accept it: RFC 9449 §7.2 forbids that downgrade.
        var dpopScheme = http.Request.Headers.Authorization[0]!.StartsWith("DPoP ", StringComparison.OrdinalIgnoreCase);
        return (claims.Jkt is not null, dpopScheme) switch
        {
            (true, false) => new TaskTokenAuthentication(null, null, "the task token is DPoP-bound: present it as Authorization: DPoP <task token> with a DPoP proof"),
            (false, true) => new TaskTokenAuthentication(null, null, "the task token is not DPoP-bound: present it as Authorization: Bearer <task token>"),
            _ => authenticated,
        };
    }
}
