using System.Net;

namespace Writ.Sdk;

/// <summary>
/// Attaches a task's token to every request: <c>Authorization: Bearer</c>, or <c>Authorization: DPoP</c> with a
/// fresh proof (method, URL, <c>ath</c>) when the token is key-bound. A 401 with <c>error="invalid_token"</c>
/// means Writ or the gateway no longer accepts the token: the task is ended and <see cref="TaskRevokedException"/> thrown.
/// </summary>
public sealed class WritTaskHandler : DelegatingHandler
{
    private readonly AgentTask task;

    internal WritTaskHandler(AgentTask task) => this.task = task;

    /// <inheritdoc/>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.RequestUri is not { IsAbsoluteUri: true } uri)
        {
            throw new InvalidOperationException("requests carrying a task token need an absolute URI");
        }

        request.Headers.Authorization = task.Authorization();
        request.Headers.Remove("DPoP");
        if (task.Key is { } key)
        {
            request.Headers.Add("DPoP", key.CreateProof(request.Method.Method, uri, task.Token));
        }

        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Unauthorized && IsInvalidToken(response))
        {
            var description = await Describe(response, cancellationToken).ConfigureAwait(false);
            response.Dispose();
            throw task.MarkRevoked(description, 401);
        }

        return response;
    }

    private static bool IsInvalidToken(HttpResponseMessage response)
    {
        foreach (var challenge in response.Headers.WwwAuthenticate)
        {
            if (challenge.Parameter?.Contains("error=\"invalid_token\"", StringComparison.Ordinal) == true)
            {
                return true;
            }
        }

        return false;
    }

    private static async Task<string> Describe(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var body = await WritHttp.ReadJsonAsync(response, cancellationToken).ConfigureAwait(false);
            return WritHttp.String(body, "error_description") ?? "the token was refused";
        }
        catch (WritException)
        {
            return "the token was refused";
        }
    }
}
