using Writ.Core.Tasks;

namespace Writ.Gateway.Sessions;

/// <summary>The task, and the agent acting in it, that created an MCP session through the gateway.</summary>
internal sealed record SessionOwner(string TaskId, string Agent)
{
    public static SessionOwner Of(TaskTokenClaims task) => new(task.TaskId, task.ActingAgent);

    public bool Owns(TaskTokenClaims task) =>
        string.Equals(TaskId, task.TaskId, StringComparison.Ordinal) && string.Equals(Agent, task.ActingAgent, StringComparison.Ordinal);
}

/// <summary>What the gateway knows of a session id a request carries.</summary>
internal enum SessionCheck
{
    /// <summary>The session was created through this gateway by the same task and agent.</summary>
    Owned,

    /// <summary>The session was created through this gateway by another task or agent.</summary>
    Foreign,

    /// <summary>This gateway process never saw the session created, or it has ended or expired.</summary>
    Unknown,
}
