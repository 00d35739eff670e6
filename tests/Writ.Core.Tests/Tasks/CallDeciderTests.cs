using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Writ.Core.Audit;
using Writ.Core.Domain;
using Writ.Core.Tasks;

namespace Writ.Core.Tests.Tasks;

public sealed class CallDeciderTests
{
    private const string PermitAll = """
        @id("everything")
        permit (principal, action, resource);
        """;

    private static readonly TrustDomain Domain = TrustDomain.Parse("writ.test");
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider time = new(T0);
    private readonly MemoryAgents agents = new();
    private readonly MemoryTasks tasks = new();
    private readonly RecordingAuditLog audit = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly TaskIntent Intent = new(
        "triage",
        [new ToolGrant("github.search_issues", ["repo:acme/web"]), new ToolGrant("db.query", ["db:orders"])],
        Sensitivity.Internal,
        TimeSpan.FromMinutes(10));

    private CallDecider Decider(string policies = PermitAll, TimeSpan? window = null) =>
        new(new FixedPolicies(policies), new StatusCache(agents, tasks, new TaskOptions { StatusCacheWindow = window ?? TimeSpan.FromSeconds(1) }, time), audit, time);

    private TaskTokenClaims Task(string agent = "research", IReadOnlyList<string>? chain = null, Dictionary<string, string>? metadata = null)
    {
        agents.Agents[agent] = new Agent(agent, SpiffeId.ForAgent(Domain, agent), "alice", AgentStatus.Active, [AttestationMethod.JoinToken], metadata ?? new() { ["team"] = "research" }, [], T0, T0);
        var id = "t-" + Guid.NewGuid().ToString("N");
        tasks.Tasks[id] = new TaskRecord(id, agent, "alice", null, Intent, null, id, chain ?? [], "gw", TaskState.Active, T0, T0.AddMinutes(10), null, null, null);
        return new TaskTokenClaims
        {
            TaskId = id,
            Jti = "j",
            Audience = "gw",
            Subject = SpiffeId.ForAgent(Domain, agent).ToString(),
            ActingAgent = SpiffeId.ForAgent(Domain, agent).ToString(),
            AgentName = agent,
            Chain = chain ?? [],
            Owner = "alice",
            Intent = Intent,
            Attestation = new TaskAttestation("join_token", null),
            IssuedAt = T0,
            ExpiresAt = T0.AddMinutes(10),
            Actors = [],
        };
    }

    [Fact]
    public async Task UndeclaredTool_IsDenied_EvenWhenAPolicyPermitsEverything()
    {
        var decision = await Decider().DecideAsync(Task(), new CallRequest("github.delete_repo", "repo:acme/web"), Ct);

        Assert.False(decision.Allowed);
        Assert.Equal(CallReasons.UndeclaredTool, decision.Reason);
    }

    [Fact]
    public async Task UndeclaredTarget_IsDenied_EvenWhenAPolicyPermitsEverything()
    {
        var decision = await Decider().DecideAsync(Task(), new CallRequest("github.search_issues", "repo:acme/other"), Ct);

        Assert.Equal(CallReasons.UndeclaredTarget, decision.Reason);
    }

    [Fact]
    public async Task DeclaredCall_IsDecidedByCedar_AndRecorded()
    {
        var task = Task(chain: ["spiffe://writ.test/agent/planner"]);

        var decision = await Decider().DecideAsync(task, new CallRequest("github.search_issues", "repo:acme/web") { TraceId = "trace-1" }, Ct);

        Assert.True(decision.Allowed);
        Assert.Equal(["everything"], decision.Policies);
        var recorded = Assert.Single(audit.Events);
        Assert.Equal(AuditEventTypes.Decision, recorded.Type);
        Assert.Equal("spiffe://writ.test/agent/research", recorded.Agent);
        Assert.Equal("alice", recorded.Owner);
        Assert.Equal(task.TaskId, recorded.TaskId);
        Assert.Equal(["spiffe://writ.test/agent/planner", "spiffe://writ.test/agent/research"], recorded.Chain);
        Assert.Equal("github.search_issues repo:acme/web", recorded.Target);
        Assert.Equal("allow", recorded.Decision);
        Assert.Equal(["everything"], recorded.Policies);
        Assert.Equal("trace-1", recorded.TraceId);
    }

    [Fact]
    public async Task Preview_DecidesLikeACall_AndRecordsNothing()
    {
        var task = Task();
        var decider = Decider("""
            @id("everything")
            permit (principal, action, resource);
            @id("no-orders")
            forbid (principal, action == Writ::Action::"CallTool", resource == Writ::Tool::"db.query");
            """);

        var allowed = await decider.PreviewAsync(task, new CallRequest("github.search_issues", "repo:acme/web"), Ct);
        var forbidden = await decider.PreviewAsync(task, new CallRequest("db.query", "db:orders"), Ct);
        var undeclared = await decider.PreviewAsync(task, new CallRequest("github.delete_repo", "repo:acme/web"), Ct);

        Assert.True(allowed.Allowed);
        Assert.False(forbidden.Allowed);
        Assert.Equal(["no-orders"], forbidden.Policies);
        Assert.Equal(CallReasons.UndeclaredTool, undeclared.Reason);
        Assert.Empty(audit.Events);
        Assert.True((await decider.DecideAsync(task, new CallRequest("github.search_issues", "repo:acme/web"), Ct)).Allowed);
        Assert.Single(audit.Events);
    }

    [Fact]
    public async Task NewlyActivatedPolicySet_DecidesTheNextCallOfTheSameShape()
    {
        var task = Task();
        var policies = new FixedPolicies(PermitAll);
        var decider = new CallDecider(policies, new StatusCache(agents, tasks, new TaskOptions(), time), audit, time);
        var call = new CallRequest("github.search_issues", "repo:acme/web");
        Assert.True((await decider.DecideAsync(task, call, Ct)).Allowed);

        // The policies a shape selected by scope belong to the set they were selected from.
        policies.Current = new FixedPolicies("""
            @id("everything")
            permit (principal, action, resource);
            @id("no-github")
            forbid (principal, action == Writ::Action::"CallTool", resource in Writ::Toolset::"github");
            """).Current;
        var denied = await decider.DecideAsync(task, call, Ct);

        Assert.False(denied.Allowed);
        Assert.Equal(["no-github"], denied.Policies);
    }

    [Fact]
    public async Task DeniedCalls_AreRecordedToo()
    {
        await Decider().DecideAsync(Task(), new CallRequest("github.delete_repo", "repo:acme/web"), Ct);

        var recorded = Assert.Single(audit.Events);
        Assert.Equal("deny", recorded.Decision);
        Assert.Equal(CallReasons.UndeclaredTool, recorded.Reason);
    }

    [Fact]
    public async Task AuditLogUnavailable_DeniesTheCall()
    {
        audit.Unavailable = true;

        var decision = await Decider().DecideAsync(Task(), new CallRequest("github.search_issues", "repo:acme/web"), Ct);

        Assert.False(decision.Allowed);
        Assert.Equal(CallReasons.AuditUnavailable, decision.Reason);
    }

    [Fact]
    public async Task PoliciesSeeAgentTagsTaskChainDepthAndRisk()
    {
        const string policies = """
            @id("research-low-risk")
            permit (principal, action == Writ::Action::"CallTool", resource in Writ::Toolset::"github")
            when {
              principal.hasTag("team") && principal.getTag("team") == "research" &&
              principal in Writ::Owner::"alice" &&
              context.task.purpose == "triage" && context.depth == 1 &&
              context.chain.contains(Writ::Agent::"planner") &&
              context.attestation.method == "join_token" &&
              context.risk.score < 50 && !context.risk.signals.contains("prompt_injection_suspected") &&
              context.time > datetime("2026-01-01T00:00:00Z")
            };
            """;
        var decider = Decider(policies);
        var task = Task(chain: ["spiffe://writ.test/agent/planner"]);

        Assert.True((await decider.DecideAsync(task, new CallRequest("github.search_issues", "repo:acme/web"), Ct)).Allowed);
        var risky = new CallRequest("github.search_issues", "repo:acme/web") { Risk = new RiskSignals(10, ["prompt_injection_suspected"]) };
        Assert.Equal(CallReasons.NoPermit, (await decider.DecideAsync(task, risky, Ct)).Reason);
        Assert.Equal(CallReasons.NoPermit, (await decider.DecideAsync(Task("operator", metadata: new() { ["team"] = "ops" }, chain: ["spiffe://writ.test/agent/planner"]), new CallRequest("github.search_issues", "repo:acme/web"), Ct)).Reason);
    }

    [Fact]
    public async Task ArgumentsBecomeTags_NonStringsAsCompactJson()
    {
        const string policies = """
            @id("small-limit")
            permit (principal, action == Writ::Action::"CallTool", resource)
            when { context.call.hasTag("limit") && context.call.getTag("limit") == "10" && context.call.hasTag("filter") && context.call.getTag("filter") == "{\"a\":[1,2]}" };
            """;
        var arguments = JsonDocument.Parse("""{"limit": 10, "filter": { "a" : [1, 2] }}""").RootElement;

        var decision = await Decider(policies).DecideAsync(Task(), new CallRequest("db.query", "db:orders") { Arguments = arguments }, Ct);

        Assert.True(decision.Allowed, decision.Reason);
    }

    [Theory]
    [InlineData("""{"sql":"SELECT 1","sql":"DROP TABLE orders"}""")]
    [InlineData("""{"sql":"SELECT 1","s\u0071l":"DROP TABLE orders"}""")]
    [InlineData("""{"s\u0071l":"SELECT 1","sql":"DROP TABLE orders"}""")]
    [InlineData("""{"a0":0,"a1":1,"a2":2,"a3":3,"a4":4,"a5":5,"a6":6,"a7":7,"a8":8,"a9":9,"sql":"SELECT 1","a3":"DROP TABLE orders"}""")]
    [InlineData("""{"a0":0,"a1":1,"a2":2,"a3":3,"a4":4,"a5":5,"a6":6,"a7":7,"a8":8,"a9":9,"sql":"SELECT 1","s\u0071l":"DROP TABLE orders"}""")]
    public async Task RepeatedArgumentNames_AreDenied(string json)
    {
        var decision = await Decider().DecideAsync(Task(), new CallRequest("db.query", "db:orders") { Arguments = JsonDocument.Parse(json).RootElement }, Ct);

        Assert.Equal(CallReasons.InvalidArguments, decision.Reason);
    }

    [Fact]
    public async Task ArgumentsOfOneCall_DoNotReachTheNext()
    {
        const string policies = """
            @id("select-only")
            permit (principal, action == Writ::Action::"CallTool", resource)
            when { context.call.hasTag("sql") && context.call.getTag("sql") like "SELECT *" };
            """;
        var decider = Decider(policies);
        var task = Task();
        var select = new CallRequest("db.query", "db:orders") { Arguments = JsonDocument.Parse("""{"sql":"SELECT 1"}""").RootElement };

        Assert.True((await decider.DecideAsync(task, select, Ct)).Allowed);
        Assert.Equal(CallReasons.NoPermit, (await decider.DecideAsync(task, new CallRequest("db.query", "db:orders"), Ct)).Reason);
        Assert.Equal(CallReasons.NoPermit, (await decider.DecideAsync(task, new CallRequest("db.query", "db:orders") { Arguments = JsonDocument.Parse("""{"other":"SELECT 1"}""").RootElement }, Ct)).Reason);
        Assert.True((await decider.DecideAsync(task, select, Ct)).Allowed);
    }

    [Theory]
    [InlineData(CallDecider.MaxArgumentLength + 1, 4)]
    [InlineData(10, WritEntities.MaxArgumentNameLength + 1)]
    public async Task OverlongArgumentValueOrName_IsDenied(int valueLength, int nameLength)
    {
        var json = $$"""{"a":"{{new string('v', valueLength)}}","{{new string('n', nameLength)}}":1}""";

        var decision = await Decider().DecideAsync(Task(), new CallRequest("db.query", "db:orders") { Arguments = JsonDocument.Parse(json).RootElement }, Ct);

        Assert.Equal(CallReasons.InvalidArguments, decision.Reason);
    }

    [Fact]
    public async Task ArgumentsAtTheBounds_ReachPolicies()
    {
        const string policies = """
            @id("long-ok")
            permit (principal, action == Writ::Action::"CallTool", resource)
            when { context.call.hasTag("a") };
            """;
        // The value's raw text counts its quotes.
        var json = $$"""{"a":"{{new string('v', CallDecider.MaxArgumentLength - 2)}}","{{new string('n', WritEntities.MaxArgumentNameLength)}}":1}""";

        var decision = await Decider(policies).DecideAsync(Task(), new CallRequest("db.query", "db:orders") { Arguments = JsonDocument.Parse(json).RootElement }, Ct);

        Assert.True(decision.Allowed, decision.Reason);
    }

    [Fact]
    public async Task TooManyArguments_AreDenied()
    {
        var arguments = JsonDocument.Parse("{" + string.Join(',', Enumerable.Range(0, 65).Select(i => $"\"a{i}\":1")) + "}").RootElement;

        var decision = await Decider().DecideAsync(Task(), new CallRequest("db.query", "db:orders") { Arguments = arguments }, Ct);

        Assert.Equal(CallReasons.InvalidArguments, decision.Reason);
    }

    [Fact]
    public async Task ResourceReadsAndPrompts_NeedADeclaredTarget_AndTheirOwnAction()
    {
        const string policies = """
            @id("read-orders")
            permit (principal, action == Writ::Action::"ReadResource", resource == Writ::Resource::"db://orders/schema");
            """;
        var decider = Decider(policies);
        var task = Task();

        Assert.True((await decider.DecideAsync(task, new CallRequest("db://orders/schema", "db:orders", CallKind.ResourceRead), Ct)).Allowed);
        Assert.Equal(CallReasons.UndeclaredTarget, (await decider.DecideAsync(task, new CallRequest("db://payroll/schema", "db:payroll", CallKind.ResourceRead), Ct)).Reason);
        Assert.Equal(CallReasons.NoPermit, (await decider.DecideAsync(task, new CallRequest("summarize", "db:orders", CallKind.PromptGet), Ct)).Reason);
    }

    [Fact]
    public async Task AnnouncedSuspension_TakesEffectOnTheNextCall()
    {
        var decider = Decider();
        var status = new StatusCache(agents, tasks, new TaskOptions(), time);
        decider = new CallDecider(new FixedPolicies(PermitAll), status, audit, time);
        var task = Task();
        var call = new CallRequest("github.search_issues", "repo:acme/web");
        Assert.True((await decider.DecideAsync(task, call, Ct)).Allowed);

        using (status.BeginAgentChange("research"))
        {
            await agents.SetStatusAsync("research", AgentStatus.Suspended, T0, Ct);
        }

        Assert.Equal("agent.suspended", (await decider.DecideAsync(task, call, Ct)).Reason);
    }

    [Fact]
    public async Task UnannouncedSuspension_IsSeenOnceTheCacheWindowPasses()
    {
        var decider = Decider(window: TimeSpan.FromSeconds(1));
        var task = Task();
        var call = new CallRequest("github.search_issues", "repo:acme/web");
        Assert.True((await decider.DecideAsync(task, call, Ct)).Allowed);

        // Another process suspended the agent: this one is told nothing.
        await agents.SetStatusAsync("research", AgentStatus.Suspended, T0, Ct);
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal("agent.suspended", (await decider.DecideAsync(task, call, Ct)).Reason);
    }

    [Fact]
    public async Task ZeroWindow_ReadsTheStoreOnEveryCall()
    {
        var decider = Decider(window: TimeSpan.Zero);
        var task = Task();
        var call = new CallRequest("github.search_issues", "repo:acme/web");
        await decider.DecideAsync(task, call, Ct);
        await agents.SetStatusAsync("research", AgentStatus.Retired, T0, Ct);

        Assert.Equal("agent.retired", (await decider.DecideAsync(task, call, Ct)).Reason);
    }

    [Fact]
    public async Task WithinTheWindow_TheStoreIsNotReadAgain()
    {
        var decider = Decider(window: TimeSpan.FromSeconds(1));
        var task = Task();
        var call = new CallRequest("github.search_issues", "repo:acme/web");
        await decider.DecideAsync(task, call, Ct);
        var reads = agents.Reads;

        for (var i = 0; i < 10; i++)
        {
            await decider.DecideAsync(task, call, Ct);
        }

        Assert.Equal(reads, agents.Reads);
    }

    [Fact]
    public async Task UnknownOrMismatchedTask_IsDenied()
    {
        var task = Task();
        tasks.Tasks.TryRemove(task.TaskId, out _);
        Assert.Equal(CallReasons.TaskUnknown, (await Decider().DecideAsync(task, new CallRequest("github.search_issues", "repo:acme/web"), Ct)).Reason);

        var other = Task();
        tasks.Tasks[other.TaskId] = tasks.Tasks[other.TaskId] with { Agent = "someone-else" };
        Assert.Equal(CallReasons.TaskMismatch, (await Decider().DecideAsync(other, new CallRequest("github.search_issues", "repo:acme/web"), Ct)).Reason);
    }

    [Theory]
    [InlineData("", "repo:acme/web")]
    [InlineData("github.search_issues", "")]
    public async Task MalformedCall_IsDenied(string tool, string target)
    {
        Assert.Equal(CallReasons.InvalidCall, (await Decider().DecideAsync(Task(), new CallRequest(tool, target), Ct)).Reason);
    }

    [Fact]
    public async Task TargetWithWhitespace_IsNeverDeclared()
    {
        Assert.Equal(CallReasons.UndeclaredTarget, (await Decider().DecideAsync(Task(), new CallRequest("github.search_issues", "repo acme/web"), Ct)).Reason);
    }
}
