using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Writ.Core.Revocation;
using Writ.Testing.Postgres;

namespace Writ.Server.Tests.Revocation;

/// <summary>Two writ server processes' worth of hosts on one PostgreSQL database: one ordered revocation stream.</summary>
public sealed class PostgresPropagationTests(SharedPostgresCluster cluster) : IAsyncLifetime
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "writ-revocation-pg-" + Guid.NewGuid().ToString("N"));
    private string _database = null!;
    private string _connectionString = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => (_database, _connectionString) = await cluster.CreateDatabaseAsync(Ct);

    public async ValueTask DisposeAsync()
    {
        await cluster.DropDatabaseAsync(_database, CancellationToken.None);
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    [Fact]
    public async Task RevocationsMadeOnEitherServer_ReachASubscriberOfTheOther_InOneOrder()
    {
        await using var a = await StartAsync();
        await using var b = await StartAsync();
        using var httpA = Client(a);
        using var httpB = Client(b);
        var info = WritApp.GetStartupInfo(b);
        await using var subscriber = new RevocationSubscriber(
            new HttpClient { Timeout = Timeout.InfiniteTimeSpan },
            new RevocationSubscriberOptions
            {
                EventsUri = new Uri(httpB.BaseAddress!, "revocations/v1/events"),
                Authorization = _ => ValueTask.FromResult("Bearer " + info.AdminToken),
            },
            TimeProvider.System);
        var applied = new ConcurrentQueue<long>();
        subscriber.Applied += e => applied.Enqueue(e.Id);
        await subscriber.StartAsync(Ct);

        var revoked = await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
        {
            using var response = await (i % 2 == 0 ? httpA : httpB).PostAsJsonAsync("admin/v1/revocations", new { kind = "token", id = "jti-" + i }, Ct);
            response.EnsureSuccessStatusCode();
            return (await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!["ended"]![0]!["id"]!.GetValue<long>();
        }));
        await subscriber.WaitForEventAsync(revoked.Max(), Ct);

        Assert.Equal(revoked.Order(), applied);
        for (var i = 0; i < 20; i++)
        {
            Assert.True(subscriber.IsRevoked(new RevocationQuery(DateTimeOffset.UtcNow, Jti: "jti-" + i)));
        }
    }

    private async Task<WebApplication> StartAsync()
    {
        var app = WritApp.Build(new WritServerOptions
        {
            Urls = ["http://127.0.0.1:0"],
            DataDirectory = _data,
            DevMode = true,
            StorageProvider = "postgres",
            StorageConnectionString = _connectionString,
        });
        await app.StartAsync(Ct);
        return app;
    }

    private static HttpClient Client(WebApplication app)
    {
        var info = WritApp.GetStartupInfo(app);
        var http = new HttpClient { BaseAddress = new Uri(info.Urls[0].TrimEnd('/') + "/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", info.AdminToken);
        return http;
    }
}
