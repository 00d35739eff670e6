namespace Writ.Core.Storage;

/// <summary>The outcome of a store operation that returns nothing on success.</summary>
/// <param name="Outcome">What happened.</param>
public readonly record struct StoreResult(StoreOutcome Outcome)
{
    /// <summary>The successful result.</summary>
    public static StoreResult Success => new(StoreOutcome.Success);

    /// <summary>The not-found result.</summary>
    public static StoreResult NotFound => new(StoreOutcome.NotFound);

    /// <summary>The already-exists result.</summary>
    public static StoreResult AlreadyExists => new(StoreOutcome.AlreadyExists);

    /// <summary>The reference-not-found result.</summary>
    public static StoreResult ReferenceNotFound => new(StoreOutcome.ReferenceNotFound);

    /// <summary>True when the operation took effect.</summary>
    public bool Succeeded => Outcome == StoreOutcome.Success;
}
