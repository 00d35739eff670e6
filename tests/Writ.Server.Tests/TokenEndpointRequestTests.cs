using System.Net;
using System.Text;
using Writ.Core.Identity;
using Writ.Server.Tests.Infrastructure;

namespace Writ.Server.Tests;

/// <summary>Hostile or malformed requests to the token endpoint: a clear RFC 6749 error, and nothing written.</summary>
public sealed class TokenEndpointRequestTests
{
    private static async Task<(WritHost Host, string JoinToken)> SetUpAsync()
    {
        var host = await WritHost.StartAsync();
        await host.AddOwnerAsync("alice");
        await host.RegisterAgentAsync("research", "alice");
        return (host, await host.CreateJoinTokenAsync("research"));
    }

    private static async Task<HttpResponseMessage> PostRawAsync(WritHost host, string body, string contentType = "application/x-www-form-urlencoded")
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        return await host.Http.PostAsync("oauth2/token", content, TestContext.Current.CancellationToken);
    }

    private static string ValidBody(string joinToken) =>
        $"grant_type={Uri.EscapeDataString(TokenTypes.TokenExchangeGrant)}&subject_token={Uri.EscapeDataString(joinToken)}&subject_token_type={Uri.EscapeDataString(TokenTypes.JoinToken)}&audience=aud";

    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string error)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await WritHost.JsonAsync(response);
        Assert.Equal(error, body["error"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(body["error_description"]!.GetValue<string>()));
    }

    private static async Task AssertJoinTokenStillUsableAsync(WritHost host, string joinToken)
    {
        using var response = await PostRawAsync(host, ValidBody(joinToken));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task MalformedForm_Returns400()
    {
        var (host, joinToken) = await SetUpAsync();
        await using var _ = host;

        using var response = await PostRawAsync(host, ValidBody(joinToken) + "&bad=%zz");

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
        await AssertJoinTokenStillUsableAsync(host, joinToken);
    }

    [Fact]
    public async Task InvalidUtf8InForm_Returns400()
    {
        var (host, joinToken) = await SetUpAsync();
        await using var _ = host;

        using var response = await PostRawAsync(host, ValidBody(joinToken) + "&x=%C3%28");

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task DuplicateParameter_Returns400()
    {
        var (host, joinToken) = await SetUpAsync();
        await using var _ = host;

        using var response = await PostRawAsync(host, ValidBody(joinToken) + "&audience=other");

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
        await AssertJoinTokenStillUsableAsync(host, joinToken);
    }

    [Fact]
    public async Task OversizedBody_Returns413()
    {
        var (host, joinToken) = await SetUpAsync();
        await using var _ = host;

        using var response = await PostRawAsync(host, ValidBody(joinToken) + "&padding=" + new string('a', 64 * 1024));

        await AssertErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "invalid_request");
        await AssertJoinTokenStillUsableAsync(host, joinToken);
    }

    [Fact]
    public async Task JsonBody_Returns400()
    {
        var (host, joinToken) = await SetUpAsync();
        await using var _ = host;

        using var response = await PostRawAsync(host, "{\"grant_type\":\"x\"}", "application/json");

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
        await AssertJoinTokenStillUsableAsync(host, joinToken);
    }

    [Theory]
    [InlineData("application/x-www-form-urlencoded; charset=utf-8")]
    [InlineData("Application/X-WWW-Form-Urlencoded")]
    public async Task FormMediaTypeSpelledOtherwise_IsAccepted(string contentType)
    {
        var (host, joinToken) = await SetUpAsync();
        await using var _ = host;

        using var response = await PostRawAsync(host, ValidBody(joinToken), contentType);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("application/x-www-form-urlencoded; charset=iso-8859-1")]
    [InlineData("application/x-www-form-urlencoded-extra")]
    [InlineData("text/plain")]
    public async Task NotAUtf8Form_Returns400(string contentType)
    {
        var (host, joinToken) = await SetUpAsync();
        await using var _ = host;

        using var response = await PostRawAsync(host, ValidBody(joinToken), contentType);

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
        await AssertJoinTokenStillUsableAsync(host, joinToken);
    }

    [Fact]
    public async Task MissingGrantType_Returns400()
    {
        await using var host = await WritHost.StartAsync();

        using var response = await PostRawAsync(host, "audience=x");

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task UnsupportedGrantType_Returns400()
    {
        await using var host = await WritHost.StartAsync();

        using var response = await PostRawAsync(host, "grant_type=password&username=a&password=b&audience=x");

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "unsupported_grant_type");
    }

    [Fact]
    public async Task DifferentAudienceAndResource_Returns400()
    {
        var (host, joinToken) = await SetUpAsync();
        await using var _ = host;

        using var response = await PostRawAsync(host, ValidBody(joinToken) + "&resource=https%3A%2F%2Fother.example");

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
        await AssertJoinTokenStillUsableAsync(host, joinToken);
    }

    [Fact]
    public async Task ResourceWithFragment_ReturnsInvalidTarget()
    {
        var (host, joinToken) = await SetUpAsync();
        await using var _ = host;
        var body = ValidBody(joinToken).Replace("&audience=aud", "&resource=https%3A%2F%2Fapi.example%2F%23frag", StringComparison.Ordinal);

        using var response = await PostRawAsync(host, body);

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_target");
    }

    [Fact]
    public async Task GarbageAssertion_IsRejected()
    {
        await using var host = await WritHost.StartAsync();

        using var response = await host.TokenAsync(("grant_type", TokenTypes.JwtBearerGrant), ("assertion", "not.a.jwt"), ("audience", "x"));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task GetOnTokenEndpoint_Returns405()
    {
        await using var host = await WritHost.StartAsync();

        using var response = await host.Http.GetAsync("oauth2/token", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }
}
