using Writ.Gateway.Configuration;

namespace Writ.Gateway.Tests.Configuration;

/// <summary>Invalid configuration stops start-up with a message naming each problem.</summary>
public sealed class GatewayConfigTests
{
    private static readonly string Base = Path.GetTempPath();

    private static string Valid(string routes = """[{ "path": "/mcp/github", "kind": "mcp", "url": "http://127.0.0.1:9000/mcp", "toolset": "github", "target": { "argument": "repository", "prefix": "repo:" } }]""") =>
        "{ \"writ\": { \"issuer\": \"http://127.0.0.1:7600\", \"trustDomain\": \"acme.test\", \"token\": \"t\" }, \"audience\": \"https://gw.test\", \"storage\": { \"dataDirectory\": \"" + Base.Replace("\\", "\\\\", StringComparison.Ordinal) + "\" }, \"routes\": " + routes + " }";

    [Fact]
    public void ValidConfiguration_IsAccepted()
    {
        var settings = GatewayConfigLoader.Parse(Valid(), Base);

        var route = Assert.Single(settings.Routes);
        Assert.Equal("github.search_issues", route.ToolName("search_issues"));
        Assert.Equal(new Uri("http://127.0.0.1:7600/.well-known/jwks.json"), settings.JwksUri);
    }

    [Fact]
    public void NotJson_IsRejectedNamingTheLine()
    {
        var error = Assert.Throws<GatewayConfigException>(() => GatewayConfigLoader.Parse("{\n \"audience\": ", Base));

        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownField_IsRejected()
    {
        var error = Assert.Throws<GatewayConfigException>(() => GatewayConfigLoader.Parse(Valid().Replace("\"audience\"", "\"audiance\": 1, \"audience\"", StringComparison.Ordinal), Base));

        Assert.Contains("audiance", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingEverything_ListsEveryProblem()
    {
        var error = Assert.Throws<GatewayConfigException>(() => GatewayConfigLoader.Parse("{}", Base));

        Assert.Contains("writ: required", error.Message, StringComparison.Ordinal);
        Assert.Contains("audience: required", error.Message, StringComparison.Ordinal);
        Assert.Contains("storage: required", error.Message, StringComparison.Ordinal);
        Assert.Contains("routes: at least one route", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""[{ "path": "mcp", "kind": "mcp", "url": "http://u/mcp", "toolset": "g", "target": { "fixed": "db:x" } }]""", "routes[0].path")]
    [InlineData("""[{ "path": "/a", "kind": "ftp", "url": "http://u/mcp", "toolset": "g", "target": { "fixed": "db:x" } }]""", "routes[0].kind")]
    [InlineData("""[{ "path": "/a", "kind": "mcp", "url": "ftp://u", "toolset": "g", "target": { "fixed": "db:x" } }]""", "routes[0].url")]
    [InlineData("""[{ "path": "/a", "kind": "mcp", "url": "http://u/mcp", "toolset": "g" }]""", "routes[0].target")]
    [InlineData("""[{ "path": "/a", "kind": "mcp", "url": "http://u/mcp", "toolset": "g", "target": { "fixed": "db:x", "argument": "a" } }]""", "routes[0].target")]
    [InlineData("""[{ "path": "/a", "kind": "mcp", "url": "http://u/mcp", "toolset": "g", "target": { "fixed": "has space" } }]""", "routes[0].target.fixed")]
    [InlineData("""[{ "path": "/a", "kind": "mcp", "url": "http://u/mcp", "toolset": "g", "target": { "fixed": "db:x" }, "credential": { "kind": "connection" } }]""", "routes[0].credential.connection")]
    [InlineData("""[{ "path": "/a", "kind": "mcp", "url": "http://u/mcp", "toolset": "g", "target": { "fixed": "db:x" }, "credential": { "kind": "magic" } }]""", "routes[0].credential.kind")]
    [InlineData("""[{ "path": "/a", "kind": "http", "url": "http://u", "toolset": "b", "target": { "fixed": "api:x" } }]""", "routes[0].operations")]
    [InlineData("""[{ "path": "/a", "kind": "stdio", "toolset": "g", "target": { "fixed": "db:x" } }]""", "routes[0].command")]
    [InlineData("""[{ "path": "/a", "kind": "mcp", "url": "http://u/mcp", "toolset": "g", "target": { "fixed": "db:x" }, "streamIdleTimeoutSeconds": 0 }]""", "routes[0].streamIdleTimeoutSeconds")]
    [InlineData("""[{ "path": "/a", "kind": "http", "url": "http://u", "toolset": "b", "operations": [ { "method": "GET", "path": "/x", "tool": "b.x", "target": { "fixed": "api:x" } } ], "streamIdleTimeoutSeconds": 60 }]""", "routes[0].streamIdleTimeoutSeconds")]
    [InlineData("""[{ "path": "/a", "kind": "mcp", "url": "http://u/a", "toolset": "g", "target": { "fixed": "db:x" } }, { "path": "/a", "kind": "mcp", "url": "http://u/b", "toolset": "g", "target": { "fixed": "db:x" } }]""", "routes[1].path")]
    public void InvalidRoute_IsRejectedNamingTheField(string routes, string field)
    {
        var error = Assert.Throws<GatewayConfigException>(() => GatewayConfigLoader.Parse(Valid(routes), Base));

        Assert.Contains(field, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StreamIdleLimit_DefaultsToAnHour_AndARouteMayOverrideIt()
    {
        var settings = GatewayConfigLoader.Parse(Valid("""[{ "path": "/a", "kind": "mcp", "url": "http://u/a", "toolset": "g", "target": { "fixed": "db:x" } }, { "path": "/b", "kind": "mcp", "url": "http://u/b", "toolset": "g", "target": { "fixed": "db:x" }, "streamIdleTimeoutSeconds": 30 }]"""), Base);

        Assert.Equal(TimeSpan.FromHours(1), settings.StreamIdleTimeoutFor(settings.Routes[0]));
        Assert.Equal(TimeSpan.FromSeconds(30), settings.StreamIdleTimeoutFor(settings.Routes[1]));
        Assert.Equal(TimeSpan.FromSeconds(100), settings.UpstreamTimeout);
    }

    [Fact]
    public void StreamIdleLimitOutOfRange_IsRejected()
    {
        var error = Assert.Throws<GatewayConfigException>(() => GatewayConfigLoader.Parse(Valid().Replace("\"routes\"", "\"limits\": { \"streamIdleTimeoutSeconds\": 100000 }, \"routes\"", StringComparison.Ordinal), Base));

        Assert.Contains("limits.streamIdleTimeoutSeconds", error.Message, StringComparison.Ordinal);
    }
}
