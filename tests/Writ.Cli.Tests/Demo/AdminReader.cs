using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Writ.Cli.Tests.Demo;

// The admin API of the server the demo ran against, read with the admin token as an operator would.
internal sealed class AdminReader(Uri server, string token) : IDisposable
{
    private readonly HttpClient http = new() { BaseAddress = new Uri(server, "/admin/v1/") };

    public async Task<JsonObject> GetAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {body?.ToJsonString()}");
        return body!;
    }

    public async Task<List<JsonObject>> RecordsAsync(string query) =>
        [.. ((JsonArray)(await GetAsync("audit/records?order=oldest&limit=1000&" + query))["items"]!).OfType<JsonObject>()];

    public void Dispose() => http.Dispose();
}
