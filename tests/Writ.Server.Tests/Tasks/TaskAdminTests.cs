using System.Net;

namespace Writ.Server.Tests.Tasks;

public sealed class TaskAdminTests
{
    [Fact]
    public async Task OwnerScopedAdminToken_SeesAndCancelsOnlyItsOwnersTasks()
    {
        await using var world = await TaskWorld.StartAsync();
        var alices = await world.ClaimsAsync(await world.TaskTokenAsync("research"));
        var bobs = await world.ClaimsAsync(await world.TaskTokenAsync("bob-agent", owner: "bob"));
        var bobToken = (await world.Host.AdminOkAsync(HttpMethod.Post, "admin-tokens", new { name = "bob-admin", owner = "bob" }))["token"]!.GetValue<string>();

        var listed = await world.Host.AdminOkAsync(HttpMethod.Get, "tasks", token: bobToken);
        Assert.Equal([bobs.TaskId], listed["items"]!.AsArray().Select(t => t!["id"]!.GetValue<string>()));

        using (var hidden = await world.Host.AdminAsync(HttpMethod.Get, "tasks/" + alices.TaskId, token: bobToken))
        {
            Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        }

        using (var refused = await world.Host.AdminAsync(HttpMethod.Post, $"tasks/{alices.TaskId}/cancel", token: bobToken))
        {
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        }

        using (var otherOwner = await world.Host.AdminAsync(HttpMethod.Get, "tasks?owner=alice", token: bobToken))
        {
            Assert.Equal(HttpStatusCode.Forbidden, otherOwner.StatusCode);
        }

        var cancelled = await world.Host.AdminOkAsync(HttpMethod.Post, $"tasks/{bobs.TaskId}/cancel", token: bobToken);
        Assert.Equal("cancelled", cancelled["state"]!.GetValue<string>());
        Assert.Equal("bob-admin", cancelled["endedBy"]!.GetValue<string>());
        Assert.True((await world.DecideAsync(await world.TaskTokenAsync("research"), "github.search_issues", "repo:acme/web")).Allowed);
    }

    [Theory]
    [InlineData("tasks?state=paused")]
    [InlineData("tasks?limit=0")]
    [InlineData("tasks?limit=abc")]
    [InlineData("tasks?sort=name")]
    [InlineData("tasks?agent=a&agent=b")]
    public async Task BadListQuery_Returns400(string path)
    {
        await using var world = await TaskWorld.StartAsync();

        using var response = await world.Host.AdminAsync(HttpMethod.Get, path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task TasksApi_RequiresAnAdminToken()
    {
        await using var world = await TaskWorld.StartAsync();

        using var response = await world.Host.AdminAsync(HttpMethod.Get, "tasks", token: "not-a-token");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
