namespace Writ.Sdk;

/// <summary>Writ's issuer and endpoints, from its RFC 8414 metadata.</summary>
internal sealed record WritEndpoints(string Issuer, Uri TokenEndpoint)
{
    public Uri CompleteEndpoint => new(Issuer.TrimEnd('/') + "/tasks/v1/complete");
}
