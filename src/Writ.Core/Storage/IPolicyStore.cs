using Writ.Core.Policy;

namespace Writ.Core.Storage;

/// <summary>Versioned policy sets, named policy stores and the clients allowed to call the decision API.</summary>
public interface IPolicyStore
{
    /// <summary>
    /// Stores <paramref name="files"/> as the next policy set version (one more than the highest so far) and,
    /// when <paramref name="activate"/> is true, makes it the active version in the same transaction.
    /// </summary>
    Task<PolicySetVersion> AddPolicySetAsync(IReadOnlyList<PolicyFile> files, string? description, DateTimeOffset at, string by, bool activate, CancellationToken cancellationToken);

    /// <summary>The policy set <paramref name="version"/>, or null.</summary>
    Task<PolicySetVersion?> GetPolicySetAsync(long version, CancellationToken cancellationToken);

    /// <summary>Every policy set version, newest first.</summary>
    Task<IReadOnlyList<PolicySetInfo>> ListPolicySetsAsync(CancellationToken cancellationToken);

    /// <summary>The active policy set version, or null before any was activated. One indexed row: cheap enough to poll.</summary>
    Task<ActivePolicySetVersion?> GetActivePolicySetAsync(CancellationToken cancellationToken);

    /// <summary>Makes <paramref name="version"/> the active one; <see cref="StoreOutcome.NotFound"/> when it does not exist.</summary>
    Task<StoreResult> ActivatePolicySetAsync(long version, DateTimeOffset at, string by, CancellationToken cancellationToken);

    /// <summary>Creates a named store at version 1; <see cref="StoreOutcome.AlreadyExists"/> when the name is taken.</summary>
    Task<StoreResult> CreateNamedStoreAsync(NamedPolicyStore store, CancellationToken cancellationToken);

    /// <summary>The current version of the named store, or the given <paramref name="version"/>; null when unknown.</summary>
    Task<NamedPolicyStore?> GetNamedStoreAsync(string name, long? version, CancellationToken cancellationToken);

    /// <summary>
    /// Writes the next version of a named store; <paramref name="next"/>.Version must be one more than the current
    /// version (else <see cref="StoreOutcome.AlreadyExists"/>: someone else changed it first).
    /// <see cref="StoreOutcome.NotFound"/> when the store does not exist.
    /// </summary>
    Task<StoreResult> AddNamedStoreVersionAsync(NamedPolicyStore next, CancellationToken cancellationToken);

    /// <summary>Every named store at its current version, ordered by name. One small query: cheap enough to poll.</summary>
    Task<IReadOnlyList<NamedPolicyStoreInfo>> ListNamedStoresAsync(CancellationToken cancellationToken);

    /// <summary>Every version of a named store, newest first; empty when unknown.</summary>
    Task<IReadOnlyList<NamedPolicyStoreInfo>> ListNamedStoreVersionsAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// Allows a client to call the decision API (idempotent); <see cref="StoreOutcome.ReferenceNotFound"/> when the
    /// client does not exist.
    /// </summary>
    Task<StoreResult> GrantPdpClientAsync(PdpClientGrant grant, CancellationToken cancellationToken);

    /// <summary>Withdraws the permission; <see cref="StoreOutcome.NotFound"/> when the client had none.</summary>
    Task<StoreResult> RevokePdpClientAsync(string client, CancellationToken cancellationToken);

    /// <summary>The grant of <paramref name="client"/>, or null.</summary>
    Task<PdpClientGrant?> GetPdpClientAsync(string client, CancellationToken cancellationToken);

    /// <summary>Every client allowed to call the decision API, ordered by name.</summary>
    Task<IReadOnlyList<PdpClientGrant>> ListPdpClientsAsync(CancellationToken cancellationToken);
}
