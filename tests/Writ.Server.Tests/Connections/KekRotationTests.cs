using System.Text;
using Writ.Core.Connections;

namespace Writ.Server.Tests.Connections;

public sealed class KekRotationTests
{
    [Fact]
    public async Task KekRotation_KeepsOldSecretsReadable_AndRotateSecretMovesThemToTheNewKek()
    {
        var data = Path.Combine(Path.GetTempPath(), "writ-kek-rotation-" + Guid.NewGuid().ToString("N"));
        var k1 = KekRingLoader.Generate("kek-1");
        var k2 = KekRingLoader.Generate("kek-2");
        var ct = TestContext.Current.CancellationToken;

        var first = await ConnectionTestHost.StartAsync(k1, data);
        try
        {
            await first.OkAsync(HttpMethod.Post, "owners", new { name = "alice" });
            var created = await first.OkAsync(HttpMethod.Post, "connections", new { name = "api", owner = "alice", kind = "static_secret", secret = "the-old-secret", headerName = "X-Api-Key" });
            Assert.Equal("kek-1", created["kekId"]!.GetValue<string>());
        }
        finally
        {
            await first.DisposeAsync();
        }

        // The operator adds kek-2 as current and keeps kek-1 for what it sealed.
        var second = await ConnectionTestHost.StartAsync(k2 + "," + k1, data);
        try
        {
            var connection = await second.Store.Connections.GetAsync("api", ct);
            Assert.Equal("kek-1", connection!.Secret.KekId);
            Assert.Equal("the-old-secret", Encoding.UTF8.GetString(second.Service<ConnectionSecrets>().TryOpen(connection.Id, connection.Secret)!));

            var rotated = await second.OkAsync(HttpMethod.Post, "connections/api/rotate-secret");
            Assert.Equal("kek-2", rotated["kekId"]!.GetValue<string>());
        }
        finally
        {
            await second.DisposeAsync();
        }

        // Once everything is resealed, kek-1 can go.
        var third = await ConnectionTestHost.StartAsync(k2, data);
        try
        {
            var connection = await third.Store.Connections.GetAsync("api", ct);
            Assert.Equal("the-old-secret", Encoding.UTF8.GetString(third.Service<ConnectionSecrets>().TryOpen(connection!.Id, connection.Secret)!));
        }
        finally
        {
            await third.DisposeAsync();
            third.DeleteData();
        }
    }

    [Fact]
    public async Task SecretUnderARemovedKek_CannotBeResealed_Returns409()
    {
        var data = Path.Combine(Path.GetTempPath(), "writ-kek-removed-" + Guid.NewGuid().ToString("N"));
        var first = await ConnectionTestHost.StartAsync(KekRingLoader.Generate("kek-1"), data);
        try
        {
            await first.OkAsync(HttpMethod.Post, "owners", new { name = "alice" });
            await first.OkAsync(HttpMethod.Post, "connections", new { name = "api", owner = "alice", kind = "static_secret", secret = "s3cret-value", headerName = "X-Api-Key" });
        }
        finally
        {
            await first.DisposeAsync();
        }

        var second = await ConnectionTestHost.StartAsync(KekRingLoader.Generate("kek-2"), data);
        try
        {
            Assert.Equal((409, "secret_unreadable"), await second.ProblemAsync(HttpMethod.Post, "connections/api/rotate-secret"));

            // Replacing the secret outright still works.
            var replaced = await second.OkAsync(HttpMethod.Post, "connections/api/rotate-secret", new { secret = "fresh-secret-value" });
            Assert.Equal("kek-2", replaced["kekId"]!.GetValue<string>());
        }
        finally
        {
            await second.DisposeAsync();
            second.DeleteData();
        }
    }

    [Fact]
    public async Task MalformedKekConfiguration_StopsStartup()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await ConnectionTestHost.StartAsync("kek-1:not-32-bytes"));
    }
}
