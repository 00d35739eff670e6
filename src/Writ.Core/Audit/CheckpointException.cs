namespace Writ.Core.Audit;

/// <summary>A signed checkpoint that is malformed or not signed by the audit key; its message says which.</summary>
public sealed class CheckpointException : Exception
{
    public CheckpointException()
        : this("not a valid checkpoint")
    {
    }

    public CheckpointException(string message)
        : base(message)
    {
    }

    public CheckpointException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
