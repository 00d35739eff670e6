using Writ.Core.Domain;
using Writ.Core.Storage;

namespace Writ.Storage.Tests.Conformance;

/// <summary>
/// The storage contract, written once. Every provider runs it through a subclass that supplies a
/// fresh, migrated store on a real database.
/// </summary>
public abstract partial class StoreConformanceTests : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    protected static readonly TrustDomain Domain = TrustDomain.Parse("writ.test");

    private IWritStore? _store;

    protected IWritStore Store => _store ?? throw new InvalidOperationException("not initialized");

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _store = await CreateStoreAsync();
        await _store.MigrateAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        await DisposeDatabaseAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>A store on a fresh database, not yet migrated.</summary>
    protected abstract Task<IWritStore> CreateStoreAsync();

    /// <summary>Another store instance (its own connections, as another process would have) on the same database.</summary>
    protected abstract Task<IWritStore> OpenSameDatabaseAsync();

    /// <summary>Records <paramref name="version"/> as applied, as a newer binary would have.</summary>
    protected abstract Task ForceSchemaVersionAsync(int version);

    /// <summary>The provider's newest schema version.</summary>
    protected abstract int SupportedSchemaVersion { get; }

    /// <summary>Removes the database after the test.</summary>
    protected abstract Task DisposeDatabaseAsync();

    protected async Task<Owner> AddOwnerAsync(string name = "alice")
    {
        var owner = new Owner(name, "Alice Example", "alice@example.test", T0);
        Assert.Equal(StoreOutcome.Success, (await Store.Owners.AddAsync(owner, Ct)).Outcome);
        return owner;
    }

    protected static Agent NewAgent(string name, string owner, params AgentKey[] keys) => new(
        name,
        SpiffeId.ForAgent(Domain, name),
        owner,
        AgentStatus.Active,
        [AttestationMethod.JoinToken, AttestationMethod.RegisteredKey],
        new Dictionary<string, string> { ["team"] = "research", ["tier"] = "1" },
        keys,
        T0,
        T0);

    protected async Task<Agent> AddAgentAsync(string name = "research", string owner = "alice")
    {
        if (await Store.Owners.GetAsync(owner, Ct) is null)
        {
            await AddOwnerAsync(owner);
        }

        var agent = NewAgent(name, owner);
        Assert.Equal(StoreOutcome.Success, (await Store.Agents.AddAsync(agent, Ct)).Outcome);
        return agent;
    }

    protected static AgentKey NewKey(string kid, string thumbprint) =>
        new(kid, thumbprint, "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" + kid + "\",\"y\":\"y\"}", T0);
}
