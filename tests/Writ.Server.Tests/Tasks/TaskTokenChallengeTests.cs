using System.Net;
using System.Text.Json.Nodes;

namespace Writ.Server.Tests.Tasks;

/// <summary>
/// RFC 6750 §3.1: a request to an agent endpoint that carries no credentials is challenged without an error code,
/// under both schemes the endpoint accepts; a presented but refused token gets its error code.
/// </summary>
public sealed class TaskTokenChallengeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("tasks/v1/complete", null)]
    [InlineData("tasks/v1/cancel", null)]
    [InlineData("leases/v1/lease-1/renew", null)]
    [InlineData("leases/v1/postgres-roles", """{"connection":"payroll"}""")]
    public async Task RequestWithoutAnyToken_IsChallengedWithoutAnErrorCode(string path, string? json)
    {
        await using var world = await TaskWorld.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }

        using var response = await world.Host.Http.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenges = response.Headers.WwwAuthenticate.ToList();
        Assert.Equal(["Bearer", "DPoP"], challenges.Select(c => c.Scheme));
        Assert.All(challenges, c => Assert.DoesNotContain("error=", c.Parameter ?? string.Empty, StringComparison.Ordinal));
        Assert.Contains("algs=", challenges[1].Parameter, StringComparison.Ordinal);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!.AsObject();
        Assert.False(body.ContainsKey("error"));
        Assert.False(string.IsNullOrEmpty(body["error_description"]!.GetValue<string>()));
    }

    [Fact]
    public async Task EmptyBearerCredential_IsChallengedWithInvalidToken()
    {
        await using var world = await TaskWorld.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "tasks/v1/complete");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer ");

        using var response = await world.Host.Http.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Contains("error=\"invalid_token\"", challenge.Parameter, StringComparison.Ordinal);
    }
}
