using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Writ.Server.Tests.Tasks;

namespace Writ.Server.Tests.Revocation;

/// <summary>An agent follows the revocation stream with its task token and sees only what ends that token.</summary>
public sealed class AgentRevocationStreamTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<HttpResponseMessage> OpenAsync(TaskWorld world, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "revocations/v1/events");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await world.Host.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
    }

    private static async Task<JsonElement> FirstEventAsync(HttpResponseMessage response)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        bound.CancelAfter(TimeSpan.FromSeconds(30));
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(bound.Token));
        while (await reader.ReadLineAsync(bound.Token) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                return JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone();
            }
        }

        throw new InvalidOperationException("the stream ended without an event");
    }

    [Fact]
    public async Task TaskToken_SeesItsOwnTasksRevocation_AndNoOtherTasks()
    {
        await using var world = await TaskWorld.StartAsync();
        var mine = await world.TaskTokenAsync("research");
        var other = await world.TaskTokenAsync("helper");
        var mineId = (await world.ClaimsAsync(mine)).TaskId;
        await world.Host.AdminOkAsync(HttpMethod.Post, "revocations", new { kind = "task", id = (await world.ClaimsAsync(other)).TaskId });

        using var stream = await OpenAsync(world, mine);
        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
        await world.Host.AdminOkAsync(HttpMethod.Post, "revocations", new { kind = "task", id = mineId, cause = "incident 7" });
        var first = await FirstEventAsync(stream);

        Assert.Equal("task", first.GetProperty("kind").GetString());
        Assert.Equal(mineId, first.GetProperty("subject").GetString());
        Assert.Equal("incident 7", first.GetProperty("cause").GetString());
    }

    [Fact]
    public async Task TaskToken_SeesItsAgentsRevocation()
    {
        await using var world = await TaskWorld.StartAsync();
        var token = await world.TaskTokenAsync("research");
        await world.IdentityTokenAsync("helper");
        await world.Host.AdminOkAsync(HttpMethod.Post, "revocations", new { kind = "agent", id = "helper" });

        using var stream = await OpenAsync(world, token);
        await world.Host.AdminOkAsync(HttpMethod.Post, "revocations", new { kind = "agent", id = "research" });
        var first = await FirstEventAsync(stream);

        Assert.Equal("agent", first.GetProperty("kind").GetString());
        Assert.EndsWith("/agent/research", first.GetProperty("subject").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevokedTaskToken_Returns401WithInvalidToken()
    {
        await using var world = await TaskWorld.StartAsync();
        var token = await world.TaskTokenAsync("research");
        await world.Host.AdminOkAsync(HttpMethod.Post, "revocations", new { kind = "token", id = (await world.ClaimsAsync(token)).Jti });

        using var stream = await OpenAsync(world, token);

        Assert.Equal(HttpStatusCode.Unauthorized, stream.StatusCode);
        Assert.Contains("invalid_token", stream.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForgedTaskToken_Returns401()
    {
        await using var world = await TaskWorld.StartAsync();
        var token = await world.TaskTokenAsync("research");

        using var stream = await OpenAsync(world, token[..^4] + "AAAA");

        Assert.Equal(HttpStatusCode.Unauthorized, stream.StatusCode);
    }
}
