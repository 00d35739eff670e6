using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Writ.Server.Tests.Infrastructure;

namespace Writ.Server.Tests.AuthZen;

/// <summary>Raw AuthZEN calls, so tests control the exact body, media type, credentials and request id.</summary>
internal static class AuthZenClient
{
    public static async Task<HttpResponseMessage> PostAsync(WritHost host, string path, string body, string? bearer = "", string contentType = "application/json", string? requestId = null, AuthenticationHeaderValue? authorization = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path.TrimStart('/')) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (authorization is not null)
        {
            request.Headers.Authorization = authorization;
        }
        else if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer.Length == 0 ? host.AdminToken : bearer);
        }

        if (requestId is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Request-ID", requestId);
        }

        return await host.Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public static async Task<JsonObject> OkAsync(WritHost host, string path, string body)
    {
        using var response = await PostAsync(host, path, body);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{path} → {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(text)!.AsObject();
    }

    public static async Task<bool> DecisionAsync(WritHost host, string path, string body) => (await OkAsync(host, path, body))["decision"]!.GetValue<bool>();

    public static string Evaluation(string subjectType, string subjectId, string action, string resourceType, string resourceId, string? subjectProperties = null, string? context = null) =>
        "{\"subject\":{\"type\":\"" + subjectType + "\",\"id\":\"" + subjectId + "\"" + (subjectProperties is null ? string.Empty : ",\"properties\":" + subjectProperties) + "}," +
        "\"action\":{\"name\":\"" + action + "\"}," +
        "\"resource\":{\"type\":\"" + resourceType + "\",\"id\":\"" + resourceId + "\"}" +
        (context is null ? string.Empty : ",\"context\":" + context) + "}";
}
