using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Writ.Cli.Api;

// A thin client for `/admin/v1` (docs/reference/admin-api.md). Resources stay JSON so `--json` can print
// exactly what the server said, and so a field the server adds later is never silently dropped.
internal sealed class AdminApiClient : IDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private readonly HttpClient http;

    public AdminApiClient(Uri server, string token, HttpMessageHandler? handler = null)
    {
        Server = server;
        // The admin API never redirects; following one would either drop the token or send it somewhere unexpected.
        http = handler is null
            ? new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false })
            : new HttpClient(handler, disposeHandler: false);
        http.BaseAddress = new Uri(server, "/admin/v1/");
        http.Timeout = RequestTimeout;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/problem+json"));
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("writ-cli", typeof(AdminApiClient).Assembly.GetName().Version?.ToString() ?? "0"));
    }

    public Uri Server { get; }

    // Escapes one user-supplied path segment so `writ agent show a/../../keys` cannot address another
    // resource; "." and ".." would still be collapsed by URI resolution, so they are refused outright.
    public static string Segment(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name is "." or "..")
        {
            throw new CliException($"'{name}' is not a valid name.", ExitCodes.Usage);
        }

        return Uri.EscapeDataString(name);
    }

    public Task<JsonNode?> GetAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, null, cancellationToken);

    public Task<JsonNode?> PostAsync(string path, JsonNode? body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, path, body, cancellationToken);

    public Task<JsonNode?> DeleteAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, path, null, cancellationToken);

    // Reads a streamed text answer (JSON Lines) line by line as it arrives; the request timeout covers
    // only the wait for the answer to start, so a long export is not cut off.
    public async Task ReadLinesAsync(string path, Func<string, Task> onLine, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new ServerUnreachableException(DescribeFailure(e), e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ServerUnreachableException($"no answer within {RequestTimeout.TotalSeconds:0} seconds", e);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                var text = await response.Content.ReadAsStringAsync(cancellationToken);
                throw new AdminApiException(ApiProblem.FromResponse(response.StatusCode, response.ReasonPhrase, text));
            }

            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                if (line.Length > 0)
                {
                    await onLine(line);
                }
            }
        }
    }

    public void Dispose() => http.Dispose();

    private async Task<JsonNode?> SendAsync(HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }
        else if (method == HttpMethod.Post)
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new ServerUnreachableException(DescribeFailure(e), e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ServerUnreachableException($"no answer within {RequestTimeout.TotalSeconds:0} seconds", e);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if ((int)response.StatusCode is >= 300 and < 400)
            {
                throw new AdminApiException(new ApiProblem(
                    (int)response.StatusCode,
                    $"the server redirected to {response.Headers.Location}; point --server at the Writ server itself",
                    null,
                    null,
                    null));
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new AdminApiException(ApiProblem.FromResponse(response.StatusCode, response.ReasonPhrase, text));
            }

            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            try
            {
                return JsonNode.Parse(text);
            }
            catch (JsonException e)
            {
                throw new AdminApiException($"the server at {Server} answered {method} {path} with something that is not JSON; is it a Writ server?", e);
            }
        }
    }

    private static string DescribeFailure(HttpRequestException e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case SocketException { SocketErrorCode: SocketError.ConnectionRefused }:
                    return "connection refused";
                case SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain }:
                    return "host name not found";
                case AuthenticationException:
                    return "TLS handshake failed: " + inner.Message;
                default:
                    break;
            }
        }

        return e.Message;
    }
}
