namespace Writ.Core.Leases;

/// <summary>An upstream secret resolved for one outbound call, to be injected by the enforcement point and never shown to the agent.</summary>
/// <param name="HeaderName">The header to set.</param>
/// <param name="HeaderValue">Its value: the scheme and the secret.</param>
/// <param name="LeaseId">The brokered-secret lease this use counts against.</param>
public sealed record BrokeredCredential(string HeaderName, string HeaderValue, string LeaseId)
{
    /// <summary>Never prints the secret.</summary>
    public override string ToString() => $"BrokeredCredential {{ HeaderName = {HeaderName}, LeaseId = {LeaseId} }}";
}
