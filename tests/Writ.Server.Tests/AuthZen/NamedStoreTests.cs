using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Writ.Server.Tests.Infrastructure;
using static Writ.Server.Tests.AuthZen.AuthZenClient;

namespace Writ.Server.Tests.AuthZen;

public sealed class NamedStoreTests
{
    private const string Eval = "stores/docs/access/v1/evaluation";

    [Fact]
    public async Task NamedStore_AnswersFromItsOwnSchemaAndEntities()
    {
        await using var host = await WritHost.StartAsync();
        await DocsStore.CreateAsync(host);

        Assert.True(await DecisionAsync(host, Eval, Evaluation("User", "alice", "edit", "Document", "d1")));
        Assert.False(await DecisionAsync(host, Eval, Evaluation("User", "alice", "view", "Document", "d1")));
        Assert.True(await DecisionAsync(host, Eval, Evaluation("User", "bob", "view", "Document", "d1")));
        Assert.True(await DecisionAsync(host, Eval, Evaluation("User", "alice", "view", "Document", "d2")));
    }

    [Fact]
    public async Task Allow_ReportsDeterminingPolicyInContext()
    {
        await using var host = await WritHost.StartAsync();
        await DocsStore.CreateAsync(host);

        var response = await OkAsync(host, Eval, Evaluation("User", "alice", "edit", "Document", "d1"));

        Assert.Equal("owner-edits", response["context"]!["policies"]!.AsArray().Single()!.GetValue<string>());
    }

    [Fact]
    public async Task SubjectProperties_AreMergedOverStoredAttributes()
    {
        await using var host = await WritHost.StartAsync();
        await DocsStore.CreateAsync(host);

        Assert.True(await DecisionAsync(host, Eval, Evaluation("User", "alice", "view", "Document", "d1", subjectProperties: "{\"department\":\"sales\"}")));
        Assert.False(await DecisionAsync(host, Eval, Evaluation("User", "bob", "view", "Document", "d2", subjectProperties: "{\"department\":\"interns\"}")));
    }

    [Fact]
    public async Task PropertiesOfTheWrongType_DenyWithErrorInContext()
    {
        await using var host = await WritHost.StartAsync();
        await DocsStore.CreateAsync(host);

        var response = await OkAsync(host, Eval, Evaluation("User", "alice", "view", "Document", "d1", subjectProperties: "{\"department\":42}"));

        Assert.False(response["decision"]!.GetValue<bool>());
        Assert.Equal(400, response["context"]!["error"]!["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task UnknownStore_Returns404()
    {
        await using var host = await WritHost.StartAsync();

        using var response = await PostAsync(host, "stores/nope/access/v1/evaluation", Evaluation("User", "alice", "view", "Document", "d1"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task StoreMetadata_NamesTheStoreEndpointsAsAbsoluteUrls()
    {
        await using var host = await WritHost.StartAsync();
        await DocsStore.CreateAsync(host);

        var metadata = JsonNode.Parse(await host.Http.GetStringAsync("stores/docs/.well-known/authzen-configuration", TestContext.Current.CancellationToken))!;

        var pdp = host.Issuer.TrimEnd('/') + "/stores/docs";
        Assert.Equal(pdp, metadata["policy_decision_point"]!.GetValue<string>());
        Assert.Equal(pdp + "/access/v1/evaluation", metadata["access_evaluation_endpoint"]!.GetValue<string>());
        Assert.Equal(pdp + "/access/v1/evaluations", metadata["access_evaluations_endpoint"]!.GetValue<string>());
    }

    [Fact]
    public async Task PoliciesThatDoNotFitTheStoreSchema_AreRefused_AndOldPoliciesKeepDeciding()
    {
        await using var host = await WritHost.StartAsync();
        await DocsStore.CreateAsync(host);

        using var response = await host.AdminAsync(HttpMethod.Put, "policy-stores/docs/policies", new { files = new[] { new { name = "bad.cedar", text = "permit (principal, action, resource) when { principal.salary > 10 };" } } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("bad.policy0", (await WritHost.JsonAsync(response))["errors"]!.AsArray()[0]!["policyId"]!.GetValue<string>());
        Assert.True(await DecisionAsync(host, Eval, Evaluation("User", "alice", "edit", "Document", "d1")));
    }

    [Fact]
    public async Task PoliciesBeforeSchema_AreRefused()
    {
        await using var host = await WritHost.StartAsync();
        await host.AdminOkAsync(HttpMethod.Post, "policy-stores", new { name = "empty" });

        using var response = await host.AdminAsync(HttpMethod.Put, "policy-stores/empty/policies", new { files = new[] { new { name = "p.cedar", text = "permit (principal, action, resource);" } } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("schema_required", (await WritHost.JsonAsync(response))["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task EntitiesThatDoNotFitTheSchema_AreRefused()
    {
        await using var host = await WritHost.StartAsync();
        await DocsStore.CreateAsync(host);

        using var response = await host.AdminAsync(HttpMethod.Put, "policy-stores/docs/entities", new { entities = new[] { new { uid = new { type = "User", id = "carol" }, attrs = new { department = 7 }, parents = Array.Empty<object>() } } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(await DecisionAsync(host, Eval, Evaluation("User", "bob", "view", "Document", "d1")));
    }

    [Fact]
    public async Task EveryChange_IsKeptAsAVersion()
    {
        await using var host = await WritHost.StartAsync();
        await DocsStore.CreateAsync(host);

        var history = await host.AdminOkAsync(HttpMethod.Get, "policy-stores/docs/versions");

        Assert.Equal(["policies", "entities", "schema", "created"], history["items"]!.AsArray().Select(i => i!["change"]!.GetValue<string>()));
        var first = await host.AdminOkAsync(HttpMethod.Get, "policy-stores/docs?version=1");
        Assert.Empty(first["policies"]!.AsArray());
    }

    [Fact]
    public async Task JsonSchemaWithNamespace_MapsTheActionNameToTheNamespacedAction()
    {
        await using var host = await WritHost.StartAsync();
        const string schema = """
            {"App": {
              "entityTypes": { "User": {}, "Report": {} },
              "actions": { "read": { "appliesTo": { "principalTypes": ["User"], "resourceTypes": ["Report"] } } }
            }}
            """;
        await host.AdminOkAsync(HttpMethod.Post, "policy-stores", new { name = "reports" });
        await host.AdminOkAsync(HttpMethod.Put, "policy-stores/reports/schema", new { schema, format = "json" });
        await host.AdminOkAsync(HttpMethod.Put, "policy-stores/reports/policies", new { files = new[] { new { name = "r.cedar", text = "permit (principal == App::User::\"carol\", action == App::Action::\"read\", resource);" } } });

        Assert.True(await DecisionAsync(host, "stores/reports/access/v1/evaluation", Evaluation("App::User", "carol", "read", "App::Report", "q3")));
        Assert.False(await DecisionAsync(host, "stores/reports/access/v1/evaluation", Evaluation("App::User", "dave", "read", "App::Report", "q3")));
    }

    [Fact]
    public async Task SchemaThatDoesNotParse_IsRefused()
    {
        await using var host = await WritHost.StartAsync();
        await host.AdminOkAsync(HttpMethod.Post, "policy-stores", new { name = "broken" });

        using var response = await host.AdminAsync(HttpMethod.Put, "policy-stores/broken/schema", new { schema = "entity User = {" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_schema", (await WritHost.JsonAsync(response))["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task StoreChangeOnOneServer_ReachesAnotherSharingTheDatabase()
    {
        var data = Path.Combine(Path.GetTempPath(), "writ-store-shared-" + Guid.NewGuid().ToString("N"));
        await using var a = await WritHost.StartAsync(dataDirectory: data, keepData: true);
        await using var b = await WritHost.StartAsync(dataDirectory: data);

        await DocsStore.CreateAsync(a);
        await b.App.Services.GetRequiredService<Writ.Core.Policy.NamedStoreCache>().RefreshAsync(TestContext.Current.CancellationToken);

        Assert.True(await DecisionAsync(b, Eval, Evaluation("User", "alice", "edit", "Document", "d1")));
    }

    [Fact]
    public async Task DuplicateStoreName_Returns409()
    {
        await using var host = await WritHost.StartAsync();
        await host.AdminOkAsync(HttpMethod.Post, "policy-stores", new { name = "docs" });

        using var response = await host.AdminAsync(HttpMethod.Post, "policy-stores", new { name = "docs" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }
}
