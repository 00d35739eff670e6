using Writ.Core.Policy;
using Writ.Core.Storage;
using static Writ.Storage.Postgres.BrokenConnectionRetry;

namespace Writ.Storage.Postgres;

// Every operation gets one more try on a broken session (see BrokenConnectionRetry). In the rare case where an
// apply committed just before its session died, the retry stores the same files again as the next version:
// harmless, since versions are only ever added and the newer one is identical.
internal sealed class RetryingPolicyStore(IPolicyStore inner) : IPolicyStore
{
    public Task<PolicySetVersion> AddPolicySetAsync(IReadOnlyList<PolicyFile> files, string? description, DateTimeOffset at, string by, bool activate, CancellationToken cancellationToken) =>
        RunAsync(() => inner.AddPolicySetAsync(files, description, at, by, activate, cancellationToken));

    public Task<PolicySetVersion?> GetPolicySetAsync(long version, CancellationToken cancellationToken) => RunAsync(() => inner.GetPolicySetAsync(version, cancellationToken));

    public Task<IReadOnlyList<PolicySetInfo>> ListPolicySetsAsync(CancellationToken cancellationToken) => RunAsync(() => inner.ListPolicySetsAsync(cancellationToken));

    public Task<ActivePolicySetVersion?> GetActivePolicySetAsync(CancellationToken cancellationToken) => RunAsync(() => inner.GetActivePolicySetAsync(cancellationToken));

    public Task<StoreResult> ActivatePolicySetAsync(long version, DateTimeOffset at, string by, CancellationToken cancellationToken) =>
        RunAsync(() => inner.ActivatePolicySetAsync(version, at, by, cancellationToken));

    public Task<StoreResult> CreateNamedStoreAsync(NamedPolicyStore store, CancellationToken cancellationToken) => RunAsync(() => inner.CreateNamedStoreAsync(store, cancellationToken));

    public Task<NamedPolicyStore?> GetNamedStoreAsync(string name, long? version, CancellationToken cancellationToken) =>
        RunAsync(() => inner.GetNamedStoreAsync(name, version, cancellationToken));

    public Task<StoreResult> AddNamedStoreVersionAsync(NamedPolicyStore next, CancellationToken cancellationToken) => RunAsync(() => inner.AddNamedStoreVersionAsync(next, cancellationToken));

    public Task<IReadOnlyList<NamedPolicyStoreInfo>> ListNamedStoresAsync(CancellationToken cancellationToken) => RunAsync(() => inner.ListNamedStoresAsync(cancellationToken));

    public Task<IReadOnlyList<NamedPolicyStoreInfo>> ListNamedStoreVersionsAsync(string name, CancellationToken cancellationToken) =>
        RunAsync(() => inner.ListNamedStoreVersionsAsync(name, cancellationToken));

    public Task<StoreResult> GrantPdpClientAsync(PdpClientGrant grant, CancellationToken cancellationToken) => RunAsync(() => inner.GrantPdpClientAsync(grant, cancellationToken));

    public Task<StoreResult> RevokePdpClientAsync(string client, CancellationToken cancellationToken) => RunAsync(() => inner.RevokePdpClientAsync(client, cancellationToken));

    public Task<PdpClientGrant?> GetPdpClientAsync(string client, CancellationToken cancellationToken) => RunAsync(() => inner.GetPdpClientAsync(client, cancellationToken));

    public Task<IReadOnlyList<PdpClientGrant>> ListPdpClientsAsync(CancellationToken cancellationToken) => RunAsync(() => inner.ListPdpClientsAsync(cancellationToken));
}
