namespace Writ.Core.Policy;

/// <summary>
/// The policy set that decides for Writ's own agent domain right now. Activation swaps the snapshot
/// atomically, so a decision always sees one whole version.
/// </summary>
public interface IActivePolicySet
{
    /// <summary>The active version; an empty set (everything denied) before any set is activated.</summary>
    PolicySnapshot Current { get; }
}
