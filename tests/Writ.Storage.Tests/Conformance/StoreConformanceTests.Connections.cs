using Writ.Core.Connections;
using Writ.Core.Storage;

namespace Writ.Storage.Tests.Conformance;

public abstract partial class StoreConformanceTests
{
    protected static Connection NewConnection(string name, string owner, string id = "con_1", ConnectionKind kind = ConnectionKind.PostgresAdmin) => new(
        id,
        name,
        owner,
        kind,
        kind == ConnectionKind.PostgresAdmin
            ? new ConnectionSettings
            {
                Host = "db.example.test",
                Port = 5432,
                Database = "app",
                AdminUser = "writ_admin",
                Grants = [new GrantRule("public", ["orders", "customers"], ["SELECT"]), new GrantRule("audit", [GrantRule.AllTables], ["SELECT", "INSERT"])],
                MaxLeaseDuration = TimeSpan.FromMinutes(30),
            }
            : new ConnectionSettings { HeaderName = "X-Api-Key", MaxLeaseDuration = TimeSpan.FromHours(1) },
        new Dictionary<string, string> { ["env"] = "prod" },
        new SealedSecret("kek-1", [1, 2, 3, 4, 0, 255]),
        T0,
        null);

    [Fact]
    public async Task Connection_AddedThenRead_RoundTrips()
    {
        await AddOwnerAsync();
        var postgres = NewConnection("orders-db", "alice");
        var api = NewConnection("weather-api", "alice", "con_2", ConnectionKind.StaticSecret);

        Assert.Equal(StoreOutcome.Success, (await Store.Connections.AddAsync(postgres, Ct)).Outcome);
        Assert.Equal(StoreOutcome.Success, (await Store.Connections.AddAsync(api, Ct)).Outcome);

        Assert.Equal(postgres, await Store.Connections.GetAsync("orders-db", Ct));
        Assert.Equal(api, await Store.Connections.GetAsync("weather-api", Ct));
        Assert.Null(await Store.Connections.GetAsync("missing", Ct));
    }

    [Fact]
    public async Task DuplicateConnectionName_ReturnsAlreadyExists()
    {
        await AddOwnerAsync();
        await Store.Connections.AddAsync(NewConnection("orders-db", "alice"), Ct);

        Assert.Equal(StoreOutcome.AlreadyExists, (await Store.Connections.AddAsync(NewConnection("orders-db", "alice", "con_other"), Ct)).Outcome);
    }

    [Fact]
    public async Task ConnectionOfUnknownOwner_ReturnsReferenceNotFound()
    {
        Assert.Equal(StoreOutcome.ReferenceNotFound, (await Store.Connections.AddAsync(NewConnection("orders-db", "nobody"), Ct)).Outcome);
    }

    [Fact]
    public async Task Connections_AreListedByOwnerAndRemoved()
    {
        await AddOwnerAsync();
        await AddOwnerAsync("bob");
        await Store.Connections.AddAsync(NewConnection("b-db", "alice", "con_b"), Ct);
        await Store.Connections.AddAsync(NewConnection("a-db", "bob", "con_a"), Ct);

        Assert.Equal(["a-db", "b-db"], (await Store.Connections.ListAsync(null, Ct)).Select(c => c.Name));
        Assert.Equal(["b-db"], (await Store.Connections.ListAsync("alice", Ct)).Select(c => c.Name));

        Assert.Equal(StoreOutcome.Success, (await Store.Connections.RemoveAsync("a-db", Ct)).Outcome);
        Assert.Equal(StoreOutcome.NotFound, (await Store.Connections.RemoveAsync("a-db", Ct)).Outcome);
        Assert.Equal(["b-db"], (await Store.Connections.ListAsync(null, Ct)).Select(c => c.Name));
    }

    [Fact]
    public async Task ConnectionSecret_IsReplacedOnlyWhenUnchanged()
    {
        await AddOwnerAsync();
        var original = NewConnection("orders-db", "alice");
        await Store.Connections.AddAsync(original, Ct);
        var replacement = new SealedSecret("kek-2", [9, 9, 9]);

        var replaced = await Store.Connections.ReplaceSecretAsync("orders-db", original.Secret, replacement, T0.AddHours(1), Ct);

        Assert.True(replaced.Succeeded);
        Assert.Equal(replacement, replaced.Value!.Secret);
        Assert.Equal(T0.AddHours(1), replaced.Value.RotatedAt);
        Assert.Equal(original with { Secret = replacement, RotatedAt = T0.AddHours(1) }, await Store.Connections.GetAsync("orders-db", Ct));

        // A second rotation that read the old secret loses instead of overwriting the first.
        var stale = await Store.Connections.ReplaceSecretAsync("orders-db", original.Secret, new SealedSecret("kek-3", [1]), T0.AddHours(2), Ct);
        Assert.Equal(StoreOutcome.NotFound, stale.Outcome);
        Assert.Equal(StoreOutcome.NotFound, (await Store.Connections.ReplaceSecretAsync("missing", original.Secret, replacement, T0, Ct)).Outcome);
    }
}
