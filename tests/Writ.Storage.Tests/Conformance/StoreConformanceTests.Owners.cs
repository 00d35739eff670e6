using Writ.Core.Domain;
using Writ.Core.Storage;

namespace Writ.Storage.Tests.Conformance;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task Owner_AddedThenRead_RoundTrips()
    {
        var owner = await AddOwnerAsync();

        Assert.Equal(owner, await Store.Owners.GetAsync("alice", Ct));
    }

    [Fact]
    public async Task Owner_WithoutOptionalFields_RoundTrips()
    {
        var owner = new Owner("bob", null, null, T0.AddSeconds(5));
        await Store.Owners.AddAsync(owner, Ct);

        Assert.Equal(owner, await Store.Owners.GetAsync("bob", Ct));
    }

    [Fact]
    public async Task DuplicateOwner_ReturnsAlreadyExists()
    {
        await AddOwnerAsync();

        var result = await Store.Owners.AddAsync(new Owner("alice", null, null, T0), Ct);

        Assert.Equal(StoreOutcome.AlreadyExists, result.Outcome);
    }

    [Fact]
    public async Task UnknownOwner_IsNull()
    {
        Assert.Null(await Store.Owners.GetAsync("nobody", Ct));
    }

    [Fact]
    public async Task Owners_AreListedByName()
    {
        await AddOwnerAsync("carol");
        await AddOwnerAsync("alice");
        await AddOwnerAsync("bob");

        var names = (await Store.Owners.ListAsync(Ct)).Select(o => o.Name);

        Assert.Equal(["alice", "bob", "carol"], names);
    }

    [Fact]
    public async Task Timestamps_KeepMicrosecondPrecisionInUtc()
    {
        var odd = new DateTimeOffset(2026, 3, 1, 14, 30, 15, TimeSpan.FromHours(2)).AddTicks(1_234_560);
        await Store.Owners.AddAsync(new Owner("dave", null, null, odd), Ct);

        var read = await Store.Owners.GetAsync("dave", Ct);

        Assert.Equal(odd, read!.CreatedAt);
        Assert.Equal(TimeSpan.Zero, read.CreatedAt.Offset);
    }
}
