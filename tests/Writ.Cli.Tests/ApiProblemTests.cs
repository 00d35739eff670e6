using System.Net;
using Writ.Cli.Api;
using Writ.Cli.Commands;

namespace Writ.Cli.Tests;

public sealed class ApiProblemTests
{
    private static readonly AdminConnection Connection = new(new Uri("http://127.0.0.1:7600/"), "t", "--token");

    [Fact]
    public void ProblemDetails_BecomeOneLineWithCode()
    {
        var problem = ApiProblem.FromResponse(
            HttpStatusCode.NotFound,
            "Not Found",
            """{"type":"https://writ.dev/problems/agent-not-found","title":"Agent not found","status":404,"detail":"No agent named 'research'.","code":"agent_not_found"}""");

        Assert.Equal("No agent named 'research' (agent_not_found, HTTP 404)", problem.Describe());
        Assert.Contains("writ agent list", ProblemHints.For(problem, Connection, "join-token"), StringComparison.Ordinal);
    }

    [Fact]
    public void OAuthError_IsDescribed()
    {
        var problem = ApiProblem.FromResponse(HttpStatusCode.BadRequest, "Bad Request", """{"error":"invalid_grant","error_description":"join token already used"}""");

        Assert.Equal("join token already used (invalid_grant, HTTP 400)", problem.Describe());
    }

    [Fact]
    public void NonJsonError_FallsBackToStatus()
    {
        var problem = ApiProblem.FromResponse(HttpStatusCode.BadGateway, "Bad Gateway", "<html>oops</html>");

        Assert.Equal("Bad Gateway (HTTP 502)", problem.Describe());
        Assert.Contains("server", ProblemHints.For(problem, Connection, "owner"), StringComparison.Ordinal);
    }

    [Fact]
    public void ControlCharactersFromServer_AreRemoved()
    {
        var problem = ApiProblem.FromResponse(HttpStatusCode.BadRequest, null, "{\"detail\":\"bad\\u001b[2J\\nname\",\"code\":\"invalid\"}");

        Assert.DoesNotContain('\u001b', problem.Describe());
        Assert.DoesNotContain('\n', problem.Describe());
    }

    [Fact]
    public void HugeDetail_IsTruncated()
    {
        var problem = ApiProblem.FromResponse(HttpStatusCode.BadRequest, null, $"{{\"detail\":\"{new string('x', 10_000)}\"}}");

        Assert.True(problem.Describe().Length < 600);
    }

    [Fact]
    public void Unauthorized_HintNamesTokenSource()
    {
        var problem = ApiProblem.FromResponse(HttpStatusCode.Unauthorized, "Unauthorized", """{"title":"Unauthorized","status":401,"code":"invalid_admin_token"}""");
        var connection = Connection with { TokenSource = "WRIT_TOKEN" };

        Assert.Contains("WRIT_TOKEN", ProblemHints.For(problem, connection, "owner"), StringComparison.Ordinal);
    }

    [Fact]
    public void NotFoundWithoutCode_SuggestsWrongServer()
    {
        var problem = ApiProblem.FromResponse(HttpStatusCode.NotFound, "Not Found", string.Empty);

        Assert.Contains("Writ server", ProblemHints.For(problem, Connection, "owner"), StringComparison.Ordinal);
    }

    [Fact]
    public void OwnerNotFound_SuggestsAddingOwner()
    {
        var problem = ApiProblem.FromResponse(HttpStatusCode.NotFound, null, """{"detail":"No owner 'bob'.","code":"owner_not_found"}""");

        Assert.Contains("writ owner add", ProblemHints.For(problem, Connection, "agent"), StringComparison.Ordinal);
    }

    [Fact]
    public void ServerDetailNamingTheFix_GetsNoSecondHint()
    {
        var problem = ApiProblem.FromResponse(HttpStatusCode.BadRequest, null, """{"detail":"owner 'bob' does not exist; create it first with 'writ owner add bob'","code":"owner_not_found"}""");

        Assert.Empty(ProblemHints.For(problem, Connection, "agent"));
    }

    [Fact]
    public void Conflict_SuggestsListingWhatExists()
    {
        var problem = ApiProblem.FromResponse(HttpStatusCode.Conflict, null, """{"detail":"admin token 'ops' already exists","code":"admin_token_exists"}""");

        Assert.Contains("writ admin-token list", ProblemHints.For(problem, Connection, "admin-token"), StringComparison.Ordinal);
    }
}
