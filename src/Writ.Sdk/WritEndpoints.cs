namespace Writ.Sdk;

/// <summary>Writ's issuer and endpoints, from its RFC 8414 metadata.</summary>
internal sealed record WritEndpoints(string Issuer, Uri TokenEndpoint)
{
    public Uri CompleteEndpoint => new(Issuer.TrimEnd('/') + "/tasks/v1/complete");

    public Uri CancelEndpoint => new(Issuer.TrimEnd('/') + "/tasks/v1/cancel");

    public Uri RevocationEventsEndpoint => new(Issuer.TrimEnd('/') + "/revocations/v1/events");

    public Uri LeaseRenewEndpoint(string leaseId) => new(Issuer.TrimEnd('/') + "/leases/v1/" + Uri.EscapeDataString(leaseId) + "/renew");
}
