using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Writ.Sdk.Tests.Infrastructure;

namespace Writ.Sdk.Tests;

/// <summary>
/// The SDK against a separate `writ dev` process (not the in-process server of <see cref="SdkWorld"/>): disposing a
/// task completes it on the server, and a revocation made by an admin surfaces in the agent as a
/// <see cref="TaskRevokedException"/>.
/// </summary>
public sealed class WritDevProcessTests : IAsyncLifetime
{
    private readonly string data = Path.Combine(Path.GetTempPath(), "writ-sdk-process-" + Guid.NewGuid().ToString("N"));
    private readonly ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private WritProcess? writ;
    private HttpClient? admin;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        writ = await WritProcess.DevAsync(data);
        admin = new HttpClient { BaseAddress = new Uri(writ.Url, "/admin/v1/") };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await File.ReadAllTextAsync(Path.Combine(data, "admin-token"), Ct)).Trim());
        await AdminAsync(HttpMethod.Post, "owners", new { name = "alice" });
        await AdminAsync(HttpMethod.Post, "policy-sets", new { files = new[] { new { name = "sdk.cedar", text = SdkWorld.Policies } }, activate = true });
        var p = key.ExportParameters(false);
        var jwk = new Dictionary<string, string> { ["kty"] = "EC", ["crv"] = "P-256", ["x"] = Base64Url(p.Q.X!), ["y"] = Base64Url(p.Q.Y!), ["kid"] = "research-1" };
        await AdminAsync(HttpMethod.Post, "agents", new { name = "research", owner = "alice", publicKeys = new[] { jwk } });
    }

    public async ValueTask DisposeAsync()
    {
        admin?.Dispose();
        key.Dispose();
        if (writ is not null)
        {
            await writ.DisposeAsync();
        }

        try
        {
            Directory.Delete(data, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }

    [Fact]
    public async Task DisposedTask_IsCompletedInTheWritProcess()
    {
        await using var client = Client();
        string id;
        await using (var task = await client.StartTaskAsync(SdkWorld.Intent(), SdkWorld.Gateway, cancellationToken: Ct))
        {
            id = task.Id;
            Assert.Equal("active", (await AdminAsync(HttpMethod.Get, "tasks/" + id))["state"]!.GetValue<string>());
        }

        Assert.Equal("completed", (await AdminAsync(HttpMethod.Get, "tasks/" + id))["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task TaskRevokedByAnAdmin_SurfacesAsTaskRevokedException()
    {
        await using var client = Client();
        await using var task = await client.StartTaskAsync(SdkWorld.Intent(), SdkWorld.Gateway, cancellationToken: Ct);

        await AdminAsync(HttpMethod.Post, "revocations", new { kind = "task", id = task.Id, cause = "incident 7" });

        // The task learns of it from the revocation stream; bounded so a broken stream fails instead of hanging.
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        bound.CancelAfter(TimeSpan.FromSeconds(30));
        while (task.State == AgentTaskState.Active)
        {
            await Task.Delay(20, bound.Token);
        }

        using var http = task.CreateHttpClient();
        var error = await Assert.ThrowsAsync<TaskRevokedException>(() => http.GetAsync(new Uri(writ!.Url, "/healthz"), Ct));
        Assert.Equal(task.Id, error.TaskId);
        Assert.Contains("incident 7", error.Message, StringComparison.Ordinal);
    }

    private WritClient Client() => new(new WritClientOptions
    {
        WritUrl = writ!.Url,
        Attestation = AgentAttestation.RegisteredKey("spiffe://writ.local/agent/research", "research-1", key),
    });

    private async Task<JsonObject> AdminAsync(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await admin!.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, $"{method} {path} → {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    private static string Base64Url(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);
}
