namespace Writ.Core.Domain;

/// <summary>Lifecycle state of an agent. Only active agents receive identity tokens.</summary>
public enum AgentStatus
{
    /// <summary>May attest and receive identity tokens.</summary>
    Active,

    /// <summary>Temporarily refused; may be resumed.</summary>
    Suspended,

    /// <summary>Permanently refused.</summary>
    Retired,
}
