namespace Writ.Core.Tasks;

/// <summary>Where a task is in its lifecycle: active, then exactly one terminal state.</summary>
public enum TaskState
{
    /// <summary>Running; its task token is honoured.</summary>
    Active,

    /// <summary>Its agent said it is done.</summary>
    Completed,

    /// <summary>Its owner or an admin stopped it.</summary>
    Cancelled,

    /// <summary>Its lifetime ran out.</summary>
    Expired,

    /// <summary>Ended by revocation (of the task, an ancestor, its agent, owner or key).</summary>
    Revoked,
}

/// <summary>Wire names of <see cref="TaskState"/>.</summary>
public static class TaskStateNames
{
    /// <summary>The lower-case wire name.</summary>
    public static string Of(TaskState state) => state switch
    {
        TaskState.Active => "active",
        TaskState.Completed => "completed",
        TaskState.Cancelled => "cancelled",
        TaskState.Expired => "expired",
        TaskState.Revoked => "revoked",
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };

    /// <summary>Parses an exact lower-case wire name.</summary>
    public static bool TryParse(string? text, out TaskState state)
    {
        (var ok, state) = text switch
        {
            "active" => (true, TaskState.Active),
            "completed" => (true, TaskState.Completed),
            "cancelled" => (true, TaskState.Cancelled),
            "expired" => (true, TaskState.Expired),
            "revoked" => (true, TaskState.Revoked),
            _ => (false, TaskState.Active),
        };
        return ok;
    }
}
