namespace Writ.Sdk;

/// <summary>The highest data sensitivity a task may touch (its ceiling).</summary>
public enum TaskSensitivity
{
    /// <summary>Public data.</summary>
    Public,

    /// <summary>Internal data.</summary>
    Internal,

    /// <summary>Confidential data.</summary>
    Confidential,

    /// <summary>Restricted data.</summary>
    Restricted,
}
