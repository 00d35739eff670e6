using Writ.Core.Domain;
using Writ.Core.Policy;
using Writ.Core.Storage;

namespace Writ.Storage.Tests.Conformance;

public abstract partial class StoreConformanceTests
{
    private static readonly PolicyFile FileA = new("a.cedar", "permit (principal, action, resource);");
    private static readonly PolicyFile FileB = new("b.json", "{\"effect\":\"forbid\"}");

    private static NamedPolicyStore NamedStore(string name, long version, string change) =>
        new(name, version, version > 1 ? "entity User;" : null, "cedar", "[]", version > 2 ? [FileA] : [], change, T0.AddMinutes(version), "bootstrap");

    [Fact]
    public async Task PolicySets_GetIncreasingVersions_AndRoundTrip()
    {
        var first = await Store.Policies.AddPolicySetAsync([FileA], "first", T0, "bootstrap", activate: false, Ct);
        var second = await Store.Policies.AddPolicySetAsync([FileA, FileB], null, T0.AddMinutes(1), "ops", activate: false, Ct);

        Assert.Equal(1, first.Version);
        Assert.Equal(2, second.Version);
        var read = await Store.Policies.GetPolicySetAsync(2, Ct);
        Assert.NotNull(read);
        Assert.Equal([FileA, FileB], read.Files);
        Assert.Null(read.Description);
        Assert.Equal("ops", read.CreatedBy);
        Assert.Equal(T0.AddMinutes(1), read.CreatedAt);
        Assert.Equal(second.CreatedAt, read.CreatedAt);
        Assert.Null(await Store.Policies.GetPolicySetAsync(3, Ct));
        Assert.Equal([2L, 1L], (await Store.Policies.ListPolicySetsAsync(Ct)).Select(v => v.Version));
    }

    [Fact]
    public async Task PolicySet_NothingActiveUntilActivated()
    {
        await Store.Policies.AddPolicySetAsync([FileA], null, T0, "bootstrap", activate: false, Ct);

        Assert.Null(await Store.Policies.GetActivePolicySetAsync(Ct));
    }

    [Fact]
    public async Task PolicySet_AddedWithActivate_IsActive()
    {
        await Store.Policies.AddPolicySetAsync([FileA], null, T0, "bootstrap", activate: true, Ct);

        Assert.Equal(new ActivePolicySetVersion(1, T0, "bootstrap"), await Store.Policies.GetActivePolicySetAsync(Ct));
    }

    [Fact]
    public async Task PolicySet_ActivatingAnOlderVersion_RollsBack()
    {
        await Store.Policies.AddPolicySetAsync([FileA], null, T0, "bootstrap", activate: true, Ct);
        await Store.Policies.AddPolicySetAsync([FileB], null, T0, "bootstrap", activate: true, Ct);

        Assert.Equal(StoreOutcome.Success, (await Store.Policies.ActivatePolicySetAsync(1, T0.AddHours(1), "ops", Ct)).Outcome);

        Assert.Equal(new ActivePolicySetVersion(1, T0.AddHours(1), "ops"), await Store.Policies.GetActivePolicySetAsync(Ct));
        Assert.Equal(2, (await Store.Policies.ListPolicySetsAsync(Ct)).Count);
    }

    [Fact]
    public async Task PolicySet_ActivatingUnknownVersion_ReturnsNotFound_AndKeepsTheActiveOne()
    {
        await Store.Policies.AddPolicySetAsync([FileA], null, T0, "bootstrap", activate: true, Ct);

        Assert.Equal(StoreOutcome.NotFound, (await Store.Policies.ActivatePolicySetAsync(9, T0, "ops", Ct)).Outcome);
        Assert.Equal(1, (await Store.Policies.GetActivePolicySetAsync(Ct))!.Version);
    }

    [Fact]
    public async Task PolicySet_ConcurrentApplies_GetDistinctVersions()
    {
        await using var other = await OpenSameDatabaseAsync();

        var versions = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            (i % 2 == 0 ? Store : other).Policies.AddPolicySetAsync([FileA], null, T0, "bootstrap", activate: true, Ct)));

        Assert.Equal(Enumerable.Range(1, 8).Select(v => (long)v), versions.Select(v => v.Version).Order());
    }

    [Fact]
    public async Task PolicySet_ActivationIsSeenByAnotherConnection()
    {
        await using var other = await OpenSameDatabaseAsync();

        await Store.Policies.AddPolicySetAsync([FileA], null, T0, "bootstrap", activate: true, Ct);

        Assert.Equal(1, (await other.Policies.GetActivePolicySetAsync(Ct))!.Version);
    }

    [Fact]
    public async Task NamedStore_CreatedThenVersioned_KeepsEveryVersion()
    {
        Assert.Equal(StoreOutcome.Success, (await Store.Policies.CreateNamedStoreAsync(NamedStore("docs", 1, "created"), Ct)).Outcome);
        Assert.Equal(StoreOutcome.Success, (await Store.Policies.AddNamedStoreVersionAsync(NamedStore("docs", 2, "schema"), Ct)).Outcome);
        Assert.Equal(StoreOutcome.Success, (await Store.Policies.AddNamedStoreVersionAsync(NamedStore("docs", 3, "policies"), Ct)).Outcome);

        var current = await Store.Policies.GetNamedStoreAsync("docs", null, Ct);
        Assert.NotNull(current);
        var expected = NamedStore("docs", 3, "policies");
        Assert.Equal(expected with { Policies = current.Policies }, current);
        Assert.Equal([FileA], current.Policies);
        Assert.Null((await Store.Policies.GetNamedStoreAsync("docs", 1, Ct))!.Schema);
        Assert.Equal(["policies", "schema", "created"], (await Store.Policies.ListNamedStoreVersionsAsync("docs", Ct)).Select(v => v.Change));
        Assert.Equal([("docs", 3L)], (await Store.Policies.ListNamedStoresAsync(Ct)).Select(s => (s.Name, s.Version)));
    }

    [Fact]
    public async Task NamedStore_DuplicateName_ReturnsAlreadyExists()
    {
        await Store.Policies.CreateNamedStoreAsync(NamedStore("docs", 1, "created"), Ct);

        Assert.Equal(StoreOutcome.AlreadyExists, (await Store.Policies.CreateNamedStoreAsync(NamedStore("docs", 1, "created"), Ct)).Outcome);
    }

    [Fact]
    public async Task NamedStore_VersionThatSkipsOrRepeats_ReturnsAlreadyExists_AndChangesNothing()
    {
        await Store.Policies.CreateNamedStoreAsync(NamedStore("docs", 1, "created"), Ct);
        await Store.Policies.AddNamedStoreVersionAsync(NamedStore("docs", 2, "schema"), Ct);

        Assert.Equal(StoreOutcome.AlreadyExists, (await Store.Policies.AddNamedStoreVersionAsync(NamedStore("docs", 2, "entities"), Ct)).Outcome);
        Assert.Equal(StoreOutcome.AlreadyExists, (await Store.Policies.AddNamedStoreVersionAsync(NamedStore("docs", 4, "entities"), Ct)).Outcome);
        Assert.Equal(2, (await Store.Policies.GetNamedStoreAsync("docs", null, Ct))!.Version);
        Assert.Equal(2, (await Store.Policies.ListNamedStoreVersionsAsync("docs", Ct)).Count);
    }

    [Fact]
    public async Task NamedStore_Unknown_ReturnsNotFoundOrNull()
    {
        Assert.Equal(StoreOutcome.NotFound, (await Store.Policies.AddNamedStoreVersionAsync(NamedStore("docs", 2, "schema"), Ct)).Outcome);
        Assert.Null(await Store.Policies.GetNamedStoreAsync("docs", null, Ct));
        Assert.Empty(await Store.Policies.ListNamedStoreVersionsAsync("docs", Ct));
    }

    [Fact]
    public async Task PdpClient_GrantedListedAndRevoked()
    {
        await Store.Clients.AddAsync(new Client("pep", null, ClientAuthMethod.ClientSecret, "h", null, T0, false), Ct);

        Assert.Equal(StoreOutcome.Success, (await Store.Policies.GrantPdpClientAsync(new PdpClientGrant("pep", T0, "bootstrap"), Ct)).Outcome);
        Assert.Equal(StoreOutcome.Success, (await Store.Policies.GrantPdpClientAsync(new PdpClientGrant("pep", T0.AddHours(1), "ops"), Ct)).Outcome);

        Assert.Equal(new PdpClientGrant("pep", T0, "bootstrap"), await Store.Policies.GetPdpClientAsync("pep", Ct));
        Assert.Equal(["pep"], (await Store.Policies.ListPdpClientsAsync(Ct)).Select(g => g.Client));
        Assert.Equal(StoreOutcome.Success, (await Store.Policies.RevokePdpClientAsync("pep", Ct)).Outcome);
        Assert.Null(await Store.Policies.GetPdpClientAsync("pep", Ct));
        Assert.Equal(StoreOutcome.NotFound, (await Store.Policies.RevokePdpClientAsync("pep", Ct)).Outcome);
    }

    [Fact]
    public async Task PdpClient_OfUnknownClient_ReturnsReferenceNotFound()
    {
        Assert.Equal(StoreOutcome.ReferenceNotFound, (await Store.Policies.GrantPdpClientAsync(new PdpClientGrant("ghost", T0, "bootstrap"), Ct)).Outcome);
    }

    [Fact]
    public async Task PdpClient_RemovedClient_LosesItsGrant()
    {
        await Store.Clients.AddAsync(new Client("pep", null, ClientAuthMethod.ClientSecret, "h", null, T0, false), Ct);
        await Store.Policies.GrantPdpClientAsync(new PdpClientGrant("pep", T0, "bootstrap"), Ct);

        await Store.Clients.RemoveAsync("pep", Ct);

        Assert.Null(await Store.Policies.GetPdpClientAsync("pep", Ct));
    }
}
