using Writ.Core.Tasks;

namespace Writ.Gateway.Sessions;

/// <summary>
/// Follows the sessions of one forwarded request: a session id the upstream hands out is bound to the task before
/// the agent sees it; a session the agent deleted, or the upstream no longer knows, is forgotten.
/// </summary>
internal sealed class SessionTracking(SessionBindings bindings, string route, TaskTokenClaims task, string? requestSessionId, bool delete)
{
    /// <summary>False when a new session cannot be bound (the table is full, or the id is another task's): the answer must not reach the agent.</summary>
    public bool Observe(HttpResponseMessage response)
    {
        if (requestSessionId is null)
        {
            return !response.Headers.TryGetValues(McpSession.Header, out var created)
                || created.FirstOrDefault() is not { } id
                || bindings.TryBind(route, id, task);
        }

        var status = (int)response.StatusCode;
        if (status == StatusCodes.Status404NotFound || (delete && status is >= 200 and < 300))
        {
            bindings.Remove(route, requestSessionId);
        }

        return true;
    }
}
