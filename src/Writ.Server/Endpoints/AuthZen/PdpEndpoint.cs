using Writ.Server.Hosting;

namespace Writ.Server.Endpoints.AuthZen;

/// <summary>The AuthZEN endpoint a request came to; its URL (the audience of a PDP client's assertion) is built only when asked for.</summary>
internal readonly record struct PdpEndpoint(IssuerResolver Issuer, string? Store, PathString Path)
{
    public string Url => AuthZenEndpoints.Base(Issuer) + (Store is null ? string.Empty : "/stores/" + Store) + Path.Value;
}
