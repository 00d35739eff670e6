namespace Writ.Core.Storage;

/// <summary>The outcome of a store operation that returns the changed entity on success.</summary>
/// <typeparam name="T">The entity type.</typeparam>
/// <param name="Outcome">What happened.</param>
/// <param name="Value">The entity after the change; null unless <paramref name="Outcome"/> is <see cref="StoreOutcome.Success"/>.</param>
public readonly record struct StoreResult<T>(StoreOutcome Outcome, T? Value)
    where T : class
{
    /// <summary>True when the operation took effect; then <see cref="Value"/> is set.</summary>
    public bool Succeeded => Outcome == StoreOutcome.Success && Value is not null;
}
