using Writ.Core.Domain;
using Writ.Core.Storage;

namespace Writ.Storage.Tests.Conformance;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task Agent_AddedThenRead_RoundTripsEveryField()
    {
        await AddOwnerAsync();
        var agent = NewAgent("research", "alice", NewKey("k1", "t1"), NewKey("k2", "t2"));

        Assert.Equal(StoreOutcome.Success, (await Store.Agents.AddAsync(agent, Ct)).Outcome);
        var read = await Store.Agents.GetAsync("research", Ct);

        AssertSameAgent(agent, read);
    }

    [Fact]
    public async Task Agent_IsFoundBySpiffeId()
    {
        var agent = await AddAgentAsync();

        var read = await Store.Agents.GetBySpiffeIdAsync("spiffe://writ.test/agent/research", Ct);

        AssertSameAgent(agent, read);
        Assert.Null(await Store.Agents.GetBySpiffeIdAsync("spiffe://writ.test/agent/other", Ct));
    }

    [Fact]
    public async Task DuplicateAgentName_ReturnsAlreadyExists()
    {
        await AddAgentAsync();

        var result = await Store.Agents.AddAsync(NewAgent("research", "alice"), Ct);

        Assert.Equal(StoreOutcome.AlreadyExists, result.Outcome);
    }

    [Fact]
    public async Task DuplicateSpiffeId_ReturnsAlreadyExists()
    {
        await AddAgentAsync();
        var clash = NewAgent("research2", "alice") with { SpiffeId = SpiffeId.ForAgent(Domain, "research") };

        var result = await Store.Agents.AddAsync(clash, Ct);

        Assert.Equal(StoreOutcome.AlreadyExists, result.Outcome);
        Assert.Null(await Store.Agents.GetAsync("research2", Ct));
    }

    [Fact]
    public async Task AgentOfUnknownOwner_ReturnsReferenceNotFound()
    {
        var result = await Store.Agents.AddAsync(NewAgent("research", "nobody"), Ct);

        Assert.Equal(StoreOutcome.ReferenceNotFound, result.Outcome);
        Assert.Null(await Store.Agents.GetAsync("research", Ct));
    }

    [Fact]
    public async Task AgentWithDuplicateKeys_WritesNothing()
    {
        await AddOwnerAsync();
        var agent = NewAgent("research", "alice", NewKey("k1", "t1"), NewKey("k1", "t2"));

        var result = await Store.Agents.AddAsync(agent, Ct);

        Assert.Equal(StoreOutcome.AlreadyExists, result.Outcome);
        Assert.Null(await Store.Agents.GetAsync("research", Ct));
    }

    [Fact]
    public async Task UnknownAgent_IsNull()
    {
        Assert.Null(await Store.Agents.GetAsync("nobody", Ct));
    }

    [Fact]
    public async Task Agents_AreListedByName_AndFilteredByOwner()
    {
        await AddAgentAsync("zeta", "alice");
        await AddAgentAsync("alpha", "bob");
        await AddAgentAsync("mid", "alice");
        await Store.Agents.AddKeyAsync("mid", NewKey("k1", "t1"), T0, Ct);

        var all = await Store.Agents.ListAsync(null, Ct);
        var alices = await Store.Agents.ListAsync("alice", Ct);

        Assert.Equal(["alpha", "mid", "zeta"], all.Select(a => a.Name));
        Assert.Equal(["mid", "zeta"], alices.Select(a => a.Name));
        Assert.Equal("k1", Assert.Single(alices[0].PublicKeys).Kid);
        Assert.Empty(alices[1].PublicKeys);
        Assert.Empty(await Store.Agents.ListAsync("nobody", Ct));
    }

    [Fact]
    public async Task AgentStatus_IsChanged_AndUpdatedAtMoves()
    {
        await AddAgentAsync();

        var result = await Store.Agents.SetStatusAsync("research", AgentStatus.Suspended, T0.AddMinutes(1), Ct);

        Assert.True(result.Succeeded);
        Assert.Equal(AgentStatus.Suspended, result.Value!.Status);
        Assert.Equal(T0.AddMinutes(1), result.Value.UpdatedAt);
        Assert.Equal(AgentStatus.Suspended, (await Store.Agents.GetAsync("research", Ct))!.Status);
    }

    [Fact]
    public async Task StatusOfUnknownAgent_ReturnsNotFound()
    {
        var result = await Store.Agents.SetStatusAsync("nobody", AgentStatus.Retired, T0, Ct);

        Assert.Equal(StoreOutcome.NotFound, result.Outcome);
        Assert.Null(result.Value);
    }

    [Fact]
    public async Task AgentKey_IsAddedAndRemoved()
    {
        await AddAgentAsync();

        var added = await Store.Agents.AddKeyAsync("research", NewKey("k1", "t1"), T0.AddMinutes(1), Ct);
        Assert.True(added.Succeeded);
        Assert.Equal(NewKey("k1", "t1"), Assert.Single(added.Value!.PublicKeys));
        Assert.Equal(T0.AddMinutes(1), added.Value.UpdatedAt);

        var removed = await Store.Agents.RemoveKeyAsync("research", "k1", T0.AddMinutes(2), Ct);
        Assert.True(removed.Succeeded);
        Assert.Empty(removed.Value!.PublicKeys);
        Assert.Equal(T0.AddMinutes(2), removed.Value.UpdatedAt);
    }

    [Fact]
    public async Task DuplicateAgentKidOrThumbprint_ReturnsAlreadyExists()
    {
        await AddAgentAsync();
        await Store.Agents.AddKeyAsync("research", NewKey("k1", "t1"), T0, Ct);

        var sameKid = await Store.Agents.AddKeyAsync("research", NewKey("k1", "t2"), T0, Ct);
        var sameThumbprint = await Store.Agents.AddKeyAsync("research", NewKey("k2", "t1"), T0, Ct);

        Assert.Equal(StoreOutcome.AlreadyExists, sameKid.Outcome);
        Assert.Equal(StoreOutcome.AlreadyExists, sameThumbprint.Outcome);
        Assert.Single((await Store.Agents.GetAsync("research", Ct))!.PublicKeys);
    }

    [Fact]
    public async Task SameKidOnTwoAgents_IsAllowed()
    {
        await AddAgentAsync("one");
        await AddAgentAsync("two");

        Assert.True((await Store.Agents.AddKeyAsync("one", NewKey("k1", "t1"), T0, Ct)).Succeeded);
        Assert.True((await Store.Agents.AddKeyAsync("two", NewKey("k1", "t1"), T0, Ct)).Succeeded);
    }

    [Fact]
    public async Task KeyOfUnknownAgent_ReturnsNotFound()
    {
        Assert.Equal(StoreOutcome.NotFound, (await Store.Agents.AddKeyAsync("nobody", NewKey("k1", "t1"), T0, Ct)).Outcome);
        await AddAgentAsync();
        Assert.Equal(StoreOutcome.NotFound, (await Store.Agents.RemoveKeyAsync("research", "missing", T0, Ct)).Outcome);
        Assert.Equal(StoreOutcome.NotFound, (await Store.Agents.RemoveKeyAsync("nobody", "k1", T0, Ct)).Outcome);
    }

    private static void AssertSameAgent(Agent expected, Agent? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.SpiffeId, actual.SpiffeId);
        Assert.Equal(expected.Owner, actual.Owner);
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.AttestationMethods, actual.AttestationMethods);
        Assert.Equal(expected.Metadata.OrderBy(p => p.Key), actual.Metadata.OrderBy(p => p.Key));
        Assert.Equal(expected.PublicKeys, actual.PublicKeys);
        Assert.Equal(expected.CreatedAt, actual.CreatedAt);
        Assert.Equal(expected.UpdatedAt, actual.UpdatedAt);
    }
}
