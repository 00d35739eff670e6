using System.Net.Http.Headers;
using System.Text.Json;

namespace Writ.Sdk;

/// <summary>The SDK's requests to Writ: metadata discovery, token requests and task completion, with Writ's errors as exceptions.</summary>
internal sealed class WritHttp : IDisposable
{
    private const int MaxResponseBytes = 256 * 1024;
    private readonly HttpClient http;
    private readonly Uri writUrl;
    private readonly SemaphoreSlim discovery = new(1, 1);
    private WritEndpoints? endpoints;

    public WritHttp(Uri writUrl, HttpMessageHandler? handler, TimeSpan timeout)
    {
        this.writUrl = writUrl;
        http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        http.Timeout = timeout;
        http.MaxResponseContentBufferSize = MaxResponseBytes;
    }

    public async Task<WritEndpoints> GetEndpointsAsync(CancellationToken cancellationToken)
    {
        if (endpoints is { } known)
        {
            return known;
        }

        await discovery.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (endpoints is { } raced)
            {
                return raced;
            }

            var metadata = new Uri(writUrl, "/.well-known/oauth-authorization-server");
            using var response = await http.GetAsync(metadata, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new WritException("server_error", $"Writ's metadata at {metadata} answered {(int)response.StatusCode}; is WritUrl the Writ server?", (int)response.StatusCode);
            }

            var body = await ReadJsonAsync(response, cancellationToken).ConfigureAwait(false);
            var issuer = String(body, "issuer");
            var token = String(body, "token_endpoint");
            if (issuer is null || token is null || !Uri.TryCreate(token, UriKind.Absolute, out var tokenEndpoint))
            {
                throw new WritException("server_error", $"Writ's metadata at {metadata} has no issuer or token_endpoint");
            }

            endpoints = new WritEndpoints(issuer, tokenEndpoint);
            return endpoints;
        }
        finally
        {
            discovery.Release();
        }
    }

    /// <summary>Posts a token request; the JSON answer, or Writ's OAuth error as <paramref name="refusal"/>'s exception.</summary>
    public async Task<JsonElement> PostTokenAsync(IEnumerable<KeyValuePair<string, string>> form, string? dpopProof, Func<string, string, int, WritException> refusal, CancellationToken cancellationToken)
    {
        var endpoint = (await GetEndpointsAsync(cancellationToken).ConfigureAwait(false)).TokenEndpoint;
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new FormUrlEncodedContent(form) };
        if (dpopProof is not null)
        {
            request.Headers.Add("DPoP", dpopProof);
        }

        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var body = await ReadJsonAsync(response, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw refusal(String(body, "error") ?? "server_error", String(body, "error_description") ?? $"Writ answered {(int)response.StatusCode}", (int)response.StatusCode);
        }

        return body;
    }

    /// <summary>Sends a request; the caller owns the response.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        await http.SendAsync(request, cancellationToken).ConfigureAwait(false);

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (response.Content.Headers.ContentType is not MediaTypeHeaderValue { MediaType: { } type } || !type.Contains("json", StringComparison.OrdinalIgnoreCase) || text.Length == 0)
        {
            using var empty = JsonDocument.Parse("{}");
            return empty.RootElement.Clone();
        }

        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 32 });
            return document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new WritException($"Writ answered {(int)response.StatusCode} with a body that is not JSON", ex);
        }
    }

    public static string? String(JsonElement body, string name) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public void Dispose()
    {
        http.Dispose();
        discovery.Dispose();
    }
}
