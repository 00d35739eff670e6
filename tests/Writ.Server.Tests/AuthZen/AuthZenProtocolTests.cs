using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Writ.Server.Tests.Infrastructure;
using static Writ.Server.Tests.AuthZen.AuthZenClient;

namespace Writ.Server.Tests.AuthZen;

/// <summary>The structural rules of the AuthZEN Authorization API 1.0, against a named store.</summary>
public sealed class AuthZenProtocolTests
{
    private const string Eval = "stores/docs/access/v1/evaluation";
    private const string Evals = "stores/docs/access/v1/evaluations";
    private const string Alice = "{\"type\":\"User\",\"id\":\"alice\"}";

    private static async Task<WritHost> StartAsync()
    {
        var host = await WritHost.StartAsync();
        await DocsStore.CreateAsync(host);
        return host;
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.False(string.IsNullOrWhiteSpace(text));
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"action\":{\"name\":\"view\"},\"resource\":{\"type\":\"Document\",\"id\":\"d1\"}}")]
    [InlineData("{\"subject\":" + Alice + ",\"resource\":{\"type\":\"Document\",\"id\":\"d1\"}}")]
    [InlineData("{\"subject\":" + Alice + ",\"action\":{\"name\":\"view\"}}")]
    public async Task MissingSubjectActionOrResource_Returns400(string body)
    {
        await using var host = await StartAsync();

        using var response = await PostAsync(host, Eval, body);

        await AssertErrorAsync(response, HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("{\"subject\":\"alice\",\"action\":{\"name\":\"view\"},\"resource\":{\"type\":\"Document\",\"id\":\"d1\"}}")]
    [InlineData("{\"subject\":{\"type\":\"User\",\"id\":7},\"action\":{\"name\":\"view\"},\"resource\":{\"type\":\"Document\",\"id\":\"d1\"}}")]
    [InlineData("{\"subject\":{\"type\":\"User\"},\"action\":{\"name\":\"view\"},\"resource\":{\"type\":\"Document\",\"id\":\"d1\"}}")]
    [InlineData("{\"subject\":{\"id\":\"alice\"},\"action\":{\"name\":\"view\"},\"resource\":{\"type\":\"Document\",\"id\":\"d1\"}}")]
    [InlineData("{\"subject\":" + Alice + ",\"action\":{\"name\":true},\"resource\":{\"type\":\"Document\",\"id\":\"d1\"}}")]
    [InlineData("{\"subject\":" + Alice + ",\"action\":\"view\",\"resource\":{\"type\":\"Document\",\"id\":\"d1\"}}")]
    [InlineData("{\"subject\":" + Alice + ",\"action\":{\"name\":\"view\"},\"resource\":[]}")]
    [InlineData("{\"subject\":" + Alice + ",\"action\":{\"name\":\"view\"},\"resource\":{\"type\":\"Document\",\"id\":\"d1\"},\"context\":\"now\"}")]
    [InlineData("{\"subject\":{\"type\":\"User\",\"id\":\"alice\",\"properties\":[1]},\"action\":{\"name\":\"view\"},\"resource\":{\"type\":\"Document\",\"id\":\"d1\"}}")]
    [InlineData("{\"subject\":" + Alice + ",\"action\":{\"name\":\"view\",\"properties\":\"x\"},\"resource\":{\"type\":\"Document\",\"id\":\"d1\"}}")]
    [InlineData("[]")]
    [InlineData("\"evaluate\"")]
    public async Task WrongTypes_Return400(string body)
    {
        await using var host = await StartAsync();

        using var response = await PostAsync(host, Eval, body);

        await AssertErrorAsync(response, HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("{\"subject\":")]
    [InlineData("")]
    [InlineData("{\"subject\":{\"type\":\"User\",\"id\":\"alice\",\"id\":\"bob\"},\"action\":{\"name\":\"view\"},\"resource\":{\"type\":\"Document\",\"id\":\"d1\"}}")]
    [InlineData("{\"subject\":{\"type\":\"User\",\"id\":\"\\uD800\"},\"action\":{\"name\":\"view\"},\"resource\":{\"type\":\"Document\",\"id\":\"d1\"}}")]
    public async Task MalformedJson_Returns400(string body)
    {
        await using var host = await StartAsync();

        using var response = await PostAsync(host, Eval, body);

        await AssertErrorAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task DeeplyNestedContext_Returns400()
    {
        await using var host = await StartAsync();
        var nested = new StringBuilder();
        for (var i = 0; i < 200; i++)
        {
            nested.Append("{\"a\":");
        }

        nested.Append('1').Append('}', 200);

        using var response = await PostAsync(host, Eval, Evaluation("User", "alice", "view", "Document", "d1", context: nested.ToString()));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/xml")]
    public async Task WrongContentType_Returns400(string contentType)
    {
        await using var host = await StartAsync();

        using var response = await PostAsync(host, Eval, Evaluation("User", "alice", "view", "Document", "d1"), contentType: contentType);

        await AssertErrorAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task OversizedBody_Returns413()
    {
        await using var host = await StartAsync();
        var big = "{\"pad\":\"" + new string('x', 300 * 1024) + "\"}";

        using var response = await PostAsync(host, Eval, Evaluation("User", "alice", "view", "Document", "d1", context: big));

        await AssertErrorAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task NoCredentials_Returns401WithChallenges()
    {
        await using var host = await StartAsync();

        using var response = await PostAsync(host, Eval, Evaluation("User", "alice", "view", "Document", "d1"), bearer: null);

        await AssertErrorAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Basic");
    }

    [Fact]
    public async Task UnknownBearerToken_Returns401()
    {
        await using var host = await StartAsync();

        using var response = await PostAsync(host, Eval, Evaluation("User", "alice", "view", "Document", "d1"), bearer: "forged");

        await AssertErrorAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task UnauthenticatedMalformedRequest_Returns401Not400()
    {
        await using var host = await StartAsync();

        using var response = await PostAsync(host, Eval, "{", bearer: null);

        await AssertErrorAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task OwnerScopedAdminToken_Returns403()
    {
        await using var host = await StartAsync();
        await host.AddOwnerAsync("alice");
        var scoped = (await host.AdminOkAsync(HttpMethod.Post, "admin-tokens", new { name = "alice-admin", owner = "alice" }))["token"]!.GetValue<string>();

        using var response = await PostAsync(host, Eval, Evaluation("User", "alice", "view", "Document", "d1"), bearer: scoped);

        await AssertErrorAsync(response, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task ClientWithoutPdpGrant_Returns403_AndWithGrant_Decides()
    {
        await using var host = await StartAsync();
        var secret = (await host.AdminOkAsync(HttpMethod.Post, "clients", new { name = "pep", authMethod = "client_secret" }))["clientSecret"]!.GetValue<string>();
        var basic = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes("pep:" + secret)));

        using (var refused = await PostAsync(host, Eval, Evaluation("User", "alice", "edit", "Document", "d1"), authorization: basic))
        {
            await AssertErrorAsync(refused, HttpStatusCode.Forbidden);
        }

        await host.AdminOkAsync(HttpMethod.Post, "pdp-clients", new { client = "pep" });
        using var allowed = await PostAsync(host, Eval, Evaluation("User", "alice", "edit", "Document", "d1"), authorization: basic);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.True((await WritHost.JsonAsync(allowed))["decision"]!.GetValue<bool>());
    }

    [Fact]
    public async Task ClientWithWrongSecret_Returns401()
    {
        await using var host = await StartAsync();
        await host.AdminOkAsync(HttpMethod.Post, "clients", new { name = "pep", authMethod = "client_secret" });
        await host.AdminOkAsync(HttpMethod.Post, "pdp-clients", new { client = "pep" });
        var basic = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes("pep:wrong")));

        using var response = await PostAsync(host, Eval, Evaluation("User", "alice", "edit", "Document", "d1"), authorization: basic);

        await AssertErrorAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task RequestId_IsEchoedOnDecisions()
    {
        await using var host = await StartAsync();

        using var response = await PostAsync(host, Eval, Evaluation("User", "alice", "view", "Document", "d1"), requestId: "bfe9eb29-ab87-4ca3-be83-a1d5d8305716");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("bfe9eb29-ab87-4ca3-be83-a1d5d8305716", response.Headers.GetValues("X-Request-ID").Single());
    }

    [Fact]
    public async Task RequestId_IsEchoedOnErrors()
    {
        await using var host = await StartAsync();

        using var unauthenticated = await PostAsync(host, Eval, "{}", bearer: null, requestId: "r-401");
        using var malformed = await PostAsync(host, Eval, "{}", requestId: "r-400");
        using var batch = await PostAsync(host, Evals, "{\"evaluations\":[]}", requestId: "r-batch");

        Assert.Equal("r-401", unauthenticated.Headers.GetValues("X-Request-ID").Single());
        Assert.Equal("r-400", malformed.Headers.GetValues("X-Request-ID").Single());
        Assert.Equal("r-batch", batch.Headers.GetValues("X-Request-ID").Single());
    }

    [Fact]
    public async Task NoRequestId_NoneIsInvented()
    {
        await using var host = await StartAsync();

        using var response = await PostAsync(host, Eval, Evaluation("User", "alice", "view", "Document", "d1"));

        Assert.False(response.Headers.Contains("X-Request-ID"));
    }

    [Fact]
    public async Task Deny_Returns200WithDecisionFalse()
    {
        await using var host = await StartAsync();

        using var response = await PostAsync(host, Eval, Evaluation("User", "alice", "view", "Document", "d1"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await WritHost.JsonAsync(response);
        Assert.False(body["decision"]!.GetValue<bool>());
        Assert.Equal(JsonValueKindOf.Object, Kind(body["context"]));
    }

    [Fact]
    public async Task Batch_ResultsComeInRequestOrder_WithDefaultsMerged()
    {
        await using var host = await StartAsync();
        var body = "{\"subject\":" + Alice + ",\"action\":{\"name\":\"view\"},\"evaluations\":[" +
            "{\"resource\":{\"type\":\"Document\",\"id\":\"d1\"}}," +
            "{\"resource\":{\"type\":\"Document\",\"id\":\"d2\"}}," +
            "{\"action\":{\"name\":\"edit\"},\"resource\":{\"type\":\"Document\",\"id\":\"d1\"}}," +
            "{\"subject\":{\"type\":\"User\",\"id\":\"bob\"},\"resource\":{\"type\":\"Document\",\"id\":\"d1\"}}]}";

        var response = await OkAsync(host, Evals, body);

        Assert.Null(response["decision"]);
        Assert.Equal([false, true, true, true], Decisions(response));
    }

    [Fact]
    public async Task Batch_ExecuteAll_IsTheDefaultAndAnswersEveryEvaluation()
    {
        await using var host = await StartAsync();

        var explicitAll = await OkAsync(host, Evals, Batch("execute_all"));
        var byDefault = await OkAsync(host, Evals, Batch(null));

        Assert.Equal([true, false, true], Decisions(explicitAll));
        Assert.Equal([true, false, true], Decisions(byDefault));
    }

    [Fact]
    public async Task Batch_DenyOnFirstDeny_StopsAfterTheFirstDeny()
    {
        await using var host = await StartAsync();

        var response = await OkAsync(host, Evals, Batch("deny_on_first_deny"));

        Assert.Equal([true, false], Decisions(response));
    }

    [Fact]
    public async Task Batch_PermitOnFirstPermit_StopsAfterTheFirstPermit()
    {
        await using var host = await StartAsync();

        var response = await OkAsync(host, Evals, Batch("permit_on_first_permit"));

        Assert.Equal([true], Decisions(response));
    }

    [Fact]
    public async Task Batch_PermitOnFirstPermit_WithNoPermit_AnswersEveryEvaluation()
    {
        await using var host = await StartAsync();
        var body = "{\"subject\":" + Alice + ",\"action\":{\"name\":\"view\"},\"options\":{\"evaluations_semantic\":\"permit_on_first_permit\"},\"evaluations\":[" +
            "{\"resource\":{\"type\":\"Document\",\"id\":\"d1\"}},{\"resource\":{\"type\":\"Document\",\"id\":\"d1\"}}]}";

        var response = await OkAsync(host, Evals, body);

        Assert.Equal([false, false], Decisions(response));
    }

    [Theory]
    [InlineData("\"first_wins\"")]
    [InlineData("1")]
    public async Task Batch_UnknownSemantic_Returns400(string semantic)
    {
        await using var host = await StartAsync();

        using var response = await PostAsync(host, Evals, "{\"subject\":" + Alice + ",\"action\":{\"name\":\"view\"},\"options\":{\"evaluations_semantic\":" + semantic + "},\"evaluations\":[{\"resource\":{\"type\":\"Document\",\"id\":\"d1\"}}]}");

        await AssertErrorAsync(response, HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("{\"evaluations\":{}}")]
    [InlineData("{\"options\":[],\"subject\":" + Alice + ",\"action\":{\"name\":\"view\"},\"resource\":{\"type\":\"Document\",\"id\":\"d1\"}}")]
    [InlineData("{\"subject\":\"alice\",\"action\":{\"name\":\"view\"},\"evaluations\":[{\"resource\":{\"type\":\"Document\",\"id\":\"d1\"}}]}")]
    public async Task Batch_MalformedAtTheTopLevel_Return400(string body)
    {
        await using var host = await StartAsync();

        using var response = await PostAsync(host, Evals, body);

        await AssertErrorAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Batch_WithoutEvaluations_BehavesAsASingleEvaluation()
    {
        await using var host = await StartAsync();

        var response = await OkAsync(host, Evals, Evaluation("User", "alice", "edit", "Document", "d1"));

        Assert.True(response["decision"]!.GetValue<bool>());
        Assert.Null(response["evaluations"]);
    }

    [Fact]
    public async Task Batch_TooManyEvaluations_Returns400()
    {
        await using var host = await StartAsync();
        var items = string.Join(',', Enumerable.Repeat("{\"resource\":{\"type\":\"Document\",\"id\":\"d1\"}}", 1001));

        using var response = await PostAsync(host, Evals, "{\"subject\":" + Alice + ",\"action\":{\"name\":\"view\"},\"evaluations\":[" + items + "]}");

        await AssertErrorAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task UnknownMembers_AreIgnored()
    {
        await using var host = await StartAsync();

        var response = await OkAsync(host, Eval, "{\"subject\":" + Alice + ",\"action\":{\"name\":\"edit\"},\"resource\":{\"type\":\"Document\",\"id\":\"d1\"},\"future_member\":{\"x\":1}}");

        Assert.True(response["decision"]!.GetValue<bool>());
    }

    [Fact]
    public async Task GetOnEvaluation_Returns405()
    {
        await using var host = await StartAsync();

        using var response = await host.Http.GetAsync(Eval, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task Metadata_NamesTheEndpointsAsAbsoluteUrls()
    {
        await using var host = await StartAsync();

        using var response = await host.Http.GetAsync(".well-known/authzen-configuration", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var metadata = await WritHost.JsonAsync(response);
        var pdp = host.Issuer.TrimEnd('/');
        Assert.Equal(pdp, metadata["policy_decision_point"]!.GetValue<string>());
        Assert.Equal(pdp + "/access/v1/evaluation", metadata["access_evaluation_endpoint"]!.GetValue<string>());
        Assert.Equal(pdp + "/access/v1/evaluations", metadata["access_evaluations_endpoint"]!.GetValue<string>());
        Assert.Null(metadata["search_subject_endpoint"]);
    }

    private static string Batch(string? semantic) =>
        "{\"subject\":" + Alice + "," + (semantic is null ? string.Empty : "\"options\":{\"evaluations_semantic\":\"" + semantic + "\"},") + "\"evaluations\":[" +
        "{\"action\":{\"name\":\"edit\"},\"resource\":{\"type\":\"Document\",\"id\":\"d1\"}}," +
        "{\"action\":{\"name\":\"view\"},\"resource\":{\"type\":\"Document\",\"id\":\"d1\"}}," +
        "{\"action\":{\"name\":\"view\"},\"resource\":{\"type\":\"Document\",\"id\":\"d2\"}}]}";

    private static bool[] Decisions(JsonObject response) => [.. response["evaluations"]!.AsArray().Select(e => e!["decision"]!.GetValue<bool>())];

    private static JsonValueKindOf Kind(JsonNode? node) => node switch
    {
        JsonObject => JsonValueKindOf.Object,
        null => JsonValueKindOf.Missing,
        _ => JsonValueKindOf.Other,
    };

    private enum JsonValueKindOf
    {
        Missing,
        Object,
        Other,
    }
}
