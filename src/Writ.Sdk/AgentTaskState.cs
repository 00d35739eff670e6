namespace Writ.Sdk;

/// <summary>Where an <see cref="AgentTask"/> stands, as far as this process knows.</summary>
public enum AgentTaskState
{
    /// <summary>Running; its token may be used.</summary>
    Active,

    /// <summary>Completed by the agent.</summary>
    Completed,

    /// <summary>Ended by the agent after a failure.</summary>
    Failed,

    /// <summary>Ended by Writ: revoked, cancelled or expired.</summary>
    Revoked,
}
