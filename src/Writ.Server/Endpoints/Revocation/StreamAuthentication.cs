using Writ.Core.Admin;
using Writ.Core.Clients;

namespace Writ.Server.Endpoints.Revocation;

/// <summary>
/// Who may follow revocations: an unscoped admin token (<c>Bearer</c>), or a registered client with its
/// secret (<c>Basic</c>, as at the introspection endpoint). Owner-scoped admin tokens may not: the stream
/// names every owner's agents.
/// </summary>
internal static class StreamAuthentication
{
    public static async Task<string?> AuthenticateAsync(HttpContext http, string endpointUrl)
    {
        var header = http.Request.Headers.Authorization;
        if (header.Count != 1 || header[0] is not { } value)
        {
            return null;
        }

        if (value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var admins = http.RequestServices.GetRequiredService<AdminAuthenticator>();
            var caller = await admins.AuthenticateAsync(value["Bearer ".Length..].Trim(), http.RequestAborted);
            return caller is { IsScoped: false } ? "admin:" + caller.Name : null;
        }

        if (value.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            var clients = http.RequestServices.GetRequiredService<ClientAuthenticator>();
            var auth = await clients.AuthenticateAsync(value, new Dictionary<string, string>(), endpointUrl, http.RequestAborted);
            return auth is { Error: null, Client: { } client } ? "client:" + client.Name : null;
        }

        return null;
    }

    public static IResult Challenge() =>
        Results.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Credentials required",
            detail: "present an unscoped admin token (Authorization: Bearer <token>) or a registered client's secret (Authorization: Basic)",
            extensions: new Dictionary<string, object?> { ["code"] = "unauthorized" });
}
