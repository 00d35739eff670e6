using System.Net;
using System.Text.Json.Nodes;
using Writ.Server.Tests.Infrastructure;
using static Writ.Server.Tests.AuthZen.AuthZenClient;

namespace Writ.Server.Tests.AuthZen;

/// <summary>
/// The requests of the AuthZEN Authorization API 1.0 certification scenario (Basic, Batch and Discovery levels)
/// against its fixture loaded as a named store, and the same requests against Writ's own domain, where they name
/// nothing and must be denied rather than refused.
/// </summary>
public sealed class CertificationScenarioTests
{
    private const string Eval = "stores/cert/access/v1/evaluation";
    private const string Evals = "stores/cert/access/v1/evaluations";
    private const string Alice = "{\"type\":\"user\",\"id\":\"alice\"}";
    private const string Bob = "{\"type\":\"user\",\"id\":\"bob\"}";
    private const string Record1 = "{\"type\":\"record\",\"id\":\"record-1\"}";
    private const string Record2 = "{\"type\":\"record\",\"id\":\"record-2\"}";
    private const string Archived2 = "{\"type\":\"record\",\"id\":\"record-2\",\"properties\":{\"status\":\"archived\"}}";

    private static async Task<WritHost> StartAsync()
    {
        var host = await WritHost.StartAsync();
        await CertificationStore.CreateAsync(host, "cert");
        return host;
    }

    private static string Request(string subject, string action, string resource, string? extra = null) =>
        "{\"subject\":" + subject + ",\"action\":" + action + ",\"resource\":" + resource + (extra is null ? string.Empty : "," + extra) + "}";

    private static string Act(string name, string? properties = null) =>
        "{\"name\":\"" + name + "\"" + (properties is null ? string.Empty : ",\"properties\":" + properties) + "}";

    private static bool[] Decisions(JsonObject response) => [.. response["evaluations"]!.AsArray().Select(e => e!["decision"]!.GetValue<bool>())];

    [Fact]
    public async Task BasicCore_FixtureDecisions_Hold()
    {
        await using var host = await StartAsync();

        Assert.True(await DecisionAsync(host, Eval, Request(Alice, Act("read"), Record1)));
        Assert.True(await DecisionAsync(host, Eval, Request(Alice, Act("write"), Record1)));
        Assert.True(await DecisionAsync(host, Eval, Request(Bob, Act("read"), Record1)));
        Assert.False(await DecisionAsync(host, Eval, Request(Bob, Act("write"), Record1)));
        Assert.True(await DecisionAsync(host, Eval, Request(Alice, Act("read"), Record1, "\"context\":{\"time\":\"2025-06-27T18:03-07:00\",\"ip\":\"192.168.1.1\"}")));
        Assert.True(await DecisionAsync(host, Eval, Request(Alice, Act("read"), Record1, "\"foo\":\"bar\",\"futureField\":{\"nested\":true}")));
        for (var i = 0; i < 3; i++)
        {
            Assert.False(await DecisionAsync(host, Eval, Request(Bob, Act("write"), Record1)));
        }
    }

    [Fact]
    public async Task BasicProperties_FixtureDecisions_Hold()
    {
        await using var host = await StartAsync();

        Assert.False(await DecisionAsync(host, Eval, Request(Alice, Act("write"), Archived2)));
        Assert.True(await DecisionAsync(host, Eval, Request("{\"type\":\"user\",\"id\":\"bob\",\"properties\":{\"role\":\"admin\"}}", Act("write"), Archived2)));
        Assert.True(await DecisionAsync(host, Eval, Request(Alice, Act("delete", "{\"soft\":true}"), Record1)));
        Assert.False(await DecisionAsync(host, Eval, Request(Alice, Act("delete", "{\"soft\":false}"), Record1)));
        Assert.True(await DecisionAsync(host, Eval, Request(
            "{\"type\":\"user\",\"id\":\"alice\",\"properties\":{\"department\":\"Sales\",\"role\":\"manager\"}}",
            Act("read", "{\"method\":\"GET\"}"),
            "{\"type\":\"record\",\"id\":\"record-1\",\"properties\":{\"status\":\"active\",\"owner\":\"bob\"}}")));
    }

    [Fact]
    public async Task ActionProperties_DoNotOverrideTheContext()
    {
        await using var host = await StartAsync();

        Assert.False(await DecisionAsync(host, Eval, Request(Alice, Act("delete", "{\"soft\":true}"), Record1, "\"context\":{\"soft\":false}")));
        Assert.True(await DecisionAsync(host, Eval, Request(Alice, Act("delete", "{\"soft\":false}"), Record1, "\"context\":{\"soft\":true}")));
    }

    [Fact]
    public async Task BatchCore_FixtureDecisions_HoldInRequestOrder()
    {
        await using var host = await StartAsync();

        var structure = await OkAsync(host, Evals, "{\"subject\":" + Alice + ",\"action\":{\"name\":\"read\"},\"evaluations\":[{\"resource\":" + Record1 + "},{\"resource\":" + Record2 + "}]}");
        var byAction = await OkAsync(host, Evals, "{\"subject\":" + Bob + ",\"resource\":" + Record1 + ",\"evaluations\":[{\"action\":{\"name\":\"read\"}},{\"action\":{\"name\":\"write\"}}]}");
        var noDefaults = await OkAsync(host, Evals, "{\"evaluations\":[" + Request(Alice, Act("read"), Record1) + "," + Request(Bob, Act("write"), Record1) + "]}");
        var context = await OkAsync(host, Evals, "{\"subject\":" + Alice + ",\"action\":{\"name\":\"read\"},\"context\":{\"time\":\"2025-06-27T18:03-07:00\"},\"evaluations\":[{\"resource\":" + Record1 + "},{\"resource\":" + Record2 + ",\"context\":{\"time\":\"2025-06-27T19:00-07:00\",\"source\":\"batch-override\"}}]}");
        var missing = await OkAsync(host, Evals, Request(Alice, Act("read"), Record1));
        var empty = await OkAsync(host, Evals, Request(Alice, Act("read"), Record1, "\"evaluations\":[]"));

        Assert.Equal(2, Decisions(structure).Length);
        Assert.Null(structure["decision"]);
        Assert.Equal([true, false], Decisions(byAction));
        Assert.Equal([true, false], Decisions(noDefaults));
        Assert.Equal(2, Decisions(context).Length);
        Assert.True(missing["decision"]!.GetValue<bool>());
        Assert.Null(missing["evaluations"]);
        Assert.True(empty["decision"]!.GetValue<bool>());
    }

    [Fact]
    public async Task BatchProperties_AreEvaluatedPerItem_AndDefaultsReplacedWhole()
    {
        await using var host = await StartAsync();

        var resources = await OkAsync(host, Evals, "{\"subject\":" + Alice + ",\"action\":{\"name\":\"write\"},\"evaluations\":[" +
            "{\"resource\":{\"type\":\"record\",\"id\":\"record-1\",\"properties\":{\"status\":\"active\"}}},{\"resource\":" + Archived2 + "}]}");
        var subjects = await OkAsync(host, Evals, "{\"action\":{\"name\":\"write\"},\"resource\":" + Archived2 + ",\"evaluations\":[" +
            "{\"subject\":" + Alice + "},{\"subject\":{\"type\":\"user\",\"id\":\"bob\",\"properties\":{\"role\":\"admin\"}}}]}");
        var inherited = await OkAsync(host, Evals, "{\"subject\":" + Alice + ",\"action\":{\"name\":\"write\"},\"resource\":{\"type\":\"record\",\"id\":\"record-1\",\"properties\":{\"status\":\"active\"}},\"evaluations\":[{},{\"resource\":" + Archived2 + "}]}");

        Assert.Equal([true, false], Decisions(resources));
        Assert.Equal([false, true], Decisions(subjects));
        Assert.Equal([true, false], Decisions(inherited));
    }

    [Fact]
    public async Task Batch_DecidedItems_AreExactlyADecision_AsTheInteropHarnessesCompare()
    {
        await using var host = await StartAsync();

        var response = await OkAsync(host, Evals, "{\"subject\":" + Bob + ",\"resource\":" + Record1 + ",\"evaluations\":[{\"action\":{\"name\":\"read\"}},{\"action\":{\"name\":\"write\"}}]}");

        Assert.Equal("{\"evaluations\":[{\"decision\":true},{\"decision\":false}]}", response.ToJsonString());
    }

    [Fact]
    public async Task Batch_ItemMissingARequiredMember_IsDeniedNotRefused()
    {
        await using var host = await StartAsync();

        var response = await OkAsync(host, Evals, "{\"subject\":" + Alice + ",\"action\":{\"name\":\"read\"},\"options\":{\"evaluations_semantic\":\"execute_all\"},\"evaluations\":[{\"resource\":" + Record1 + "},{}]}");

        Assert.Equal([true, false], Decisions(response));
        var error = response["evaluations"]![1]!["context"]!["error"]!;
        Assert.Equal(400, error["status"]!.GetValue<int>());
        Assert.Contains("evaluations[1].resource", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"resource\":\"record-1\"}")]
    [InlineData("{\"resource\":{\"type\":\"record\"}}")]
    [InlineData("{\"action\":{\"name\":7},\"resource\":{\"type\":\"record\",\"id\":\"record-1\"}}")]
    [InlineData("{\"resource\":{\"type\":\"record\",\"id\":\"record-1\"},\"context\":[]}")]
    [InlineData("1")]
    public async Task Batch_MalformedItem_IsDeniedAndTheOthersDecided(string item)
    {
        await using var host = await StartAsync();

        var response = await OkAsync(host, Evals, "{\"subject\":" + Alice + ",\"action\":{\"name\":\"read\"},\"evaluations\":[" + item + ",{\"resource\":" + Record1 + "}]}");

        Assert.Equal([false, true], Decisions(response));
    }

    [Fact]
    public async Task Batch_DenyOnFirstDeny_StopsAtAMalformedItem()
    {
        await using var host = await StartAsync();

        var response = await OkAsync(host, Evals, "{\"subject\":" + Alice + ",\"action\":{\"name\":\"read\"},\"options\":{\"evaluations_semantic\":\"deny_on_first_deny\"},\"evaluations\":[{\"resource\":" + Record1 + "},{},{\"resource\":" + Record1 + "}]}");

        Assert.Equal([true, false], Decisions(response));
    }

    [Fact]
    public async Task MissingContentType_Returns400()
    {
        await using var host = await StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, Eval) { Content = new ByteArrayContent("{}"u8.ToArray()) };
        request.Headers.Authorization = new("Bearer", host.AdminToken);

        using var response = await host.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData(".well-known/authzen-configuration/stores/cert")]
    [InlineData("stores/cert/.well-known/authzen-configuration")]
    public async Task StoreMetadata_NamesTheStoreAsItsPdp(string path)
    {
        await using var host = await StartAsync();

        using var response = await host.Http.GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var metadata = await WritHost.JsonAsync(response);
        var pdp = host.Issuer.TrimEnd('/') + "/stores/cert";
        Assert.Equal(pdp, metadata["policy_decision_point"]!.GetValue<string>());
        Assert.Equal(pdp + "/access/v1/evaluation", metadata["access_evaluation_endpoint"]!.GetValue<string>());
        Assert.Equal(pdp + "/access/v1/evaluations", metadata["access_evaluations_endpoint"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("{\"subject\":{\"type\":\"user\",\"id\":\"alice\"},\"action\":{\"name\":\"read\"},\"resource\":{\"type\":\"record\",\"id\":\"record-1\"}}")]
    [InlineData("{\"subject\":{\"type\":\"user\",\"id\":\"bob\",\"properties\":{\"role\":\"admin\"}},\"action\":{\"name\":\"write\"},\"resource\":{\"type\":\"record\",\"id\":\"record-2\",\"properties\":{\"status\":\"archived\"}}}")]
    [InlineData("{\"subject\":{\"type\":\"user\",\"id\":\"alice\"},\"action\":{\"name\":\"delete\",\"properties\":{\"soft\":true}},\"resource\":{\"type\":\"record\",\"id\":\"record-1\"},\"context\":{\"time\":\"2025-06-27T18:03-07:00\"}}")]
    [InlineData("{\"subject\":{\"type\":\"\",\"id\":\"\"},\"action\":{\"name\":\"\"},\"resource\":{\"type\":\"\",\"id\":\"\"}}")]
    [InlineData("{\"subject\":{\"type\":\"Agent\",\"id\":\"nobody\"},\"action\":{\"name\":\"CallTool\"},\"resource\":{\"type\":\"Tool\",\"id\":\"github.search_issues\"}}")]
    [InlineData("{\"subject\":{\"type\":\"Agent\",\"id\":\"nobody\",\"properties\":{\"ip_address\":\"10.0.0.1\"}},\"action\":{\"name\":\"CallTool\",\"properties\":{\"method\":\"GET\"}},\"resource\":{\"type\":\"Tool\",\"id\":\"github.search_issues\"}}")]
    public async Task WritDomain_RequestNamingNothingItKnows_IsDeniedNotRefused(string body)
    {
        await using var host = await WritHost.StartAsync();

        var single = await OkAsync(host, "access/v1/evaluation", body);
        var batch = await OkAsync(host, "access/v1/evaluations", "{\"evaluations\":[" + body + "]}");

        Assert.False(single["decision"]!.GetValue<bool>());
        Assert.Equal([false], Decisions(batch));
    }
}
