using Writ.Core.Tasks;

namespace Writ.Server.Endpoints.Tasks;

/// <summary>
/// Makes an agent's suspension, retirement or resumption through this server's admin API take effect
/// on the very next decision: the change is announced to the decision cache before the request runs
/// and finished after it, so no decision in between relies on the cached status.
/// </summary>
internal static class AgentStatusChanges
{
    private const string Prefix = "/admin/v1/agents/";

    public static void Use(WebApplication app) =>
        app.Use(async (http, next) =>
        {
            var path = http.Request.Path.Value;
            if (HttpMethods.IsPost(http.Request.Method) && path is not null && path.StartsWith(Prefix, StringComparison.Ordinal)
                && path.AsSpan(Prefix.Length) is var rest && rest.IndexOf('/') is var slash and > 0
                && rest[(slash + 1)..] is "suspend" or "resume" or "retire")
            {
                var name = rest[..slash].ToString();
                using (http.RequestServices.GetRequiredService<StatusCache>().BeginAgentChange(name))
                {
                    await next(http);
                }

                return;
            }

            await next(http);
        });
}
