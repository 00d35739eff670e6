using Writ.Core.Domain;
using Writ.Core.Storage;
using Writ.Core.Tasks;

namespace Writ.Storage.Tests.Conformance;

public abstract partial class StoreConformanceTests
{
    private static readonly TaskIntent Intent = new(
        "triage issues",
        [new ToolGrant("github.search_issues", ["repo:acme/web", "repo:acme/api"]), new ToolGrant("db.query", ["db:orders"])],
        Sensitivity.Internal,
        TimeSpan.FromMinutes(10));

    private static TaskRecord NewTask(string id, string agent = "research", string? parent = null, string? root = null, IReadOnlyList<string>? chain = null, DateTimeOffset? created = null, DateTimeOffset? expires = null) => new(
        id,
        agent,
        "alice",
        parent is null ? "https://idp.test|u-1" : null,
        Intent,
        parent,
        root ?? id,
        chain ?? [],
        "https://gateway.test",
        TaskState.Active,
        created ?? T0,
        expires ?? T0.AddMinutes(10),
        null,
        null,
        parent is null ? "jkt-thumbprint" : null);

    [Fact]
    public async Task Task_AddedThenRead_RoundTrips()
    {
        await AddAgentAsync();
        var task = NewTask("t1");

        Assert.Equal(StoreOutcome.Success, (await Store.Tasks.AddAsync(task, Ct)).Outcome);

        var read = await Store.Tasks.GetAsync("t1", Ct);
        Assert.Equal(task, read);
        Assert.Equal(Intent.ToJson(), read!.Intent.ToJson());
        Assert.Null(await Store.Tasks.GetAsync("missing", Ct));
    }

    [Fact]
    public async Task DuplicateTaskId_ReturnsAlreadyExists()
    {
        await AddAgentAsync();
        await Store.Tasks.AddAsync(NewTask("t1"), Ct);

        Assert.Equal(StoreOutcome.AlreadyExists, (await Store.Tasks.AddAsync(NewTask("t1"), Ct)).Outcome);
    }

    [Fact]
    public async Task TaskOfUnknownAgentOrParent_ReturnsReferenceNotFound()
    {
        await AddAgentAsync();

        Assert.Equal(StoreOutcome.ReferenceNotFound, (await Store.Tasks.AddAsync(NewTask("t1", agent: "nobody"), Ct)).Outcome);
        Assert.Equal(StoreOutcome.ReferenceNotFound, (await Store.Tasks.AddAsync(NewTask("t2", parent: "missing", root: "missing", chain: ["spiffe://writ.test/agent/research"]), Ct)).Outcome);
    }

    [Fact]
    public async Task EndingATask_HappensOnce()
    {
        await AddAgentAsync();
        await Store.Tasks.AddAsync(NewTask("t1"), Ct);

        var ended = await Store.Tasks.EndAsync("t1", TaskState.Completed, T0.AddMinutes(1), "spiffe://writ.test/agent/research", Ct);
        Assert.Equal(StoreOutcome.Success, ended.Outcome);
        Assert.Equal(TaskState.Completed, ended.Value!.State);
        Assert.Equal(T0.AddMinutes(1), ended.Value.EndedAt);
        Assert.Equal("spiffe://writ.test/agent/research", ended.Value.EndedBy);

        var again = await Store.Tasks.EndAsync("t1", TaskState.Cancelled, T0.AddMinutes(2), "admin", Ct);
        Assert.Equal(StoreOutcome.AlreadyExists, again.Outcome);
        Assert.Equal(TaskState.Completed, again.Value!.State);
        Assert.Equal(TaskState.Completed, (await Store.Tasks.GetAsync("t1", Ct))!.State);

        Assert.Equal(StoreOutcome.NotFound, (await Store.Tasks.EndAsync("missing", TaskState.Cancelled, T0, "admin", Ct)).Outcome);
    }

    [Fact]
    public async Task Tasks_AreListedNewestFirst_ByOwnerAgentAndState()
    {
        await AddAgentAsync();
        await AddAgentAsync("coder", "alice");
        await AddAgentAsync("other", "bob");
        await Store.Tasks.AddAsync(NewTask("a", created: T0), Ct);
        await Store.Tasks.AddAsync(NewTask("b", agent: "coder", created: T0.AddSeconds(1)), Ct);
        await Store.Tasks.AddAsync(NewTask("c", created: T0.AddSeconds(2)) with { Agent = "other", Owner = "bob" }, Ct);
        await Store.Tasks.EndAsync("a", TaskState.Cancelled, T0.AddSeconds(3), "admin", Ct);

        Assert.Equal(["c", "b", "a"], (await Store.Tasks.ListAsync(new TaskQuery(), Ct)).Select(t => t.Id));
        Assert.Equal(["b", "a"], (await Store.Tasks.ListAsync(new TaskQuery(Owner: "alice"), Ct)).Select(t => t.Id));
        Assert.Equal(["b"], (await Store.Tasks.ListAsync(new TaskQuery(Agent: "coder"), Ct)).Select(t => t.Id));
        Assert.Equal(["c", "b"], (await Store.Tasks.ListAsync(new TaskQuery(State: TaskState.Active), Ct)).Select(t => t.Id));
        Assert.Equal(["c"], (await Store.Tasks.ListAsync(new TaskQuery(Limit: 1), Ct)).Select(t => t.Id));
    }

    [Fact]
    public async Task Descendants_CoverTheWholeSubtree()
    {
        await AddAgentAsync();
        await AddAgentAsync("coder", "alice");
        var a = "spiffe://writ.test/agent/research";
        var b = "spiffe://writ.test/agent/coder";
        await Store.Tasks.AddAsync(NewTask("root"), Ct);
        await Store.Tasks.AddAsync(NewTask("child", agent: "coder", parent: "root", root: "root", chain: [a], created: T0.AddSeconds(1)), Ct);
        await Store.Tasks.AddAsync(NewTask("grandchild", parent: "child", root: "root", chain: [a, b], created: T0.AddSeconds(2)), Ct);
        await Store.Tasks.AddAsync(NewTask("sibling", agent: "coder", parent: "root", root: "root", chain: [a], created: T0.AddSeconds(3)), Ct);
        await Store.Tasks.AddAsync(NewTask("unrelated", created: T0.AddSeconds(4)), Ct);

        Assert.Equal(["child", "grandchild", "sibling"], (await Store.Tasks.ListDescendantsAsync("root", Ct)).Select(t => t.Id));
        Assert.Equal(["grandchild"], (await Store.Tasks.ListDescendantsAsync("child", Ct)).Select(t => t.Id));
        Assert.Empty(await Store.Tasks.ListDescendantsAsync("unrelated", Ct));
        var grandchild = await Store.Tasks.GetAsync("grandchild", Ct);
        Assert.Equal([a, b], grandchild!.Chain);
        Assert.Equal(2, grandchild.Depth);
        Assert.Equal("root", grandchild.RootId);
    }

    [Fact]
    public async Task Expire_EndsOnlyActiveTasksPastTheirExpiry()
    {
        await AddAgentAsync();
        await Store.Tasks.AddAsync(NewTask("due", expires: T0.AddMinutes(1)), Ct);
        await Store.Tasks.AddAsync(NewTask("later", expires: T0.AddMinutes(5)), Ct);
        await Store.Tasks.AddAsync(NewTask("done", expires: T0.AddMinutes(1)), Ct);
        await Store.Tasks.EndAsync("done", TaskState.Completed, T0.AddSeconds(30), "agent", Ct);

        var expired = await Store.Tasks.ExpireAsync(T0.AddMinutes(1), Ct);

        var only = Assert.Single(expired);
        Assert.Equal("due", only.Id);
        Assert.Equal(TaskState.Expired, only.State);
        Assert.Equal(T0.AddMinutes(1), only.EndedAt);
        Assert.Equal(TaskState.Active, (await Store.Tasks.GetAsync("later", Ct))!.State);
        Assert.Equal(TaskState.Completed, (await Store.Tasks.GetAsync("done", Ct))!.State);
        Assert.Empty(await Store.Tasks.ExpireAsync(T0.AddMinutes(1), Ct));
    }
}
