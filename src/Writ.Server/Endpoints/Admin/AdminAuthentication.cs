using Writ.Core.Admin;
using Writ.Server.Http;

namespace Writ.Server.Endpoints.Admin;

/// <summary>Every admin endpoint requires a bearer admin token; the caller is kept on the request.</summary>
internal static class AdminAuthentication
{
    private const string CallerKey = "writ.admin.caller";

    public static RouteGroupBuilder RequireAdminToken(this RouteGroupBuilder group) =>
        group.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var header = http.Request.Headers.Authorization;
            string? token = null;
            if (header.Count == 1 && header[0] is { } value && value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                token = value["Bearer ".Length..].Trim();
            }

            var authenticator = http.RequestServices.GetRequiredService<AdminAuthenticator>();
            var caller = await authenticator.AuthenticateAsync(token, http.RequestAborted);
            if (caller is null)
            {
                return Problems.Unauthorized();
            }

            http.Items[CallerKey] = caller;
            return await next(context);
        });

    public static AdminCaller Caller(this HttpContext http) =>
        http.Items[CallerKey] as AdminCaller ?? throw new InvalidOperationException("admin endpoint reached without authentication");
}
