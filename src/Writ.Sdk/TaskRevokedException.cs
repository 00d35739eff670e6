namespace Writ.Sdk;

/// <summary>
/// The task's token no longer works: the task was revoked (or its agent, owner or key), cancelled by an
/// admin, or it expired. The <see cref="AgentTask"/> is ended and refuses further use.
/// </summary>
public sealed class TaskRevokedException : WritException
{
    /// <summary>Creates the exception.</summary>
    public TaskRevokedException()
        : base("invalid_token", "the task is no longer active")
    {
    }

    /// <summary>Creates the exception with a description.</summary>
    public TaskRevokedException(string message)
        : base("invalid_token", message)
    {
    }

    /// <summary>Creates the exception with a description and its cause.</summary>
    public TaskRevokedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for one task.</summary>
    public TaskRevokedException(string taskId, string description, int? statusCode)
        : base("invalid_token", $"task {taskId} is no longer active: {description}", statusCode) => TaskId = taskId;

    /// <summary>The task, when known.</summary>
    public string? TaskId { get; }
}
