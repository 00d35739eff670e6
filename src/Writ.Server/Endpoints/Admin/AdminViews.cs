using System.Text.Json;
using Writ.Core.Domain;
using Writ.Core.Keys;

namespace Writ.Server.Endpoints.Admin;

/// <summary>The JSON shapes of admin resources, as documented in docs/reference/admin-api.md. Never a hash or secret.</summary>
internal static class AdminViews
{
    public static object Owner(Owner owner) => new
    {
        name = owner.Name,
        displayName = owner.DisplayName,
        email = owner.Email,
        createdAt = owner.CreatedAt,
    };

    public static object Agent(Agent agent) => new
    {
        name = agent.Name,
        spiffeId = agent.SpiffeId.ToString(),
        owner = agent.Owner,
        status = WireName.Of(agent.Status),
        attestationMethods = agent.AttestationMethods.Select(WireName.Of).ToArray(),
        metadata = agent.Metadata,
        publicKeys = agent.PublicKeys.Select(k => new { kid = k.Kid, thumbprint = k.Thumbprint, jwk = Json(k.Jwk), addedAt = k.AddedAt }).ToArray(),
        createdAt = agent.CreatedAt,
        updatedAt = agent.UpdatedAt,
    };

    public static object Issuer(ExternalIssuer issuer) => new
    {
        name = issuer.Name,
        issuer = issuer.Issuer,
        audience = issuer.Audience,
        jwksUri = issuer.JwksUri,
        jwks = issuer.Jwks is null ? (JsonElement?)null : Json(issuer.Jwks),
        rules = issuer.Rules.Select(r => new { claims = r.Claims, agent = r.Agent }).ToArray(),
        createdAt = issuer.CreatedAt,
        createdBy = issuer.CreatedBy,
    };

    public static object Client(Client client, string? secret = null) => new
    {
        name = client.Name,
        owner = client.Owner,
        authMethod = WireName.Of(client.AuthMethod),
        jwks = client.Jwks is null ? (JsonElement?)null : Json(client.Jwks),
        disabled = client.Disabled,
        createdAt = client.CreatedAt,
        clientSecret = secret,
    };

    public static object AdminToken(AdminToken token, string? secret = null) => new
    {
        name = token.Name,
        owner = token.Owner,
        createdAt = token.CreatedAt,
        createdBy = token.CreatedBy,
        revokedAt = token.RevokedAt,
        token = secret,
    };

    public static object Key(SigningKeyInfo key) => new
    {
        kid = key.Kid,
        alg = key.Algorithm,
        status = WireName.Of(key.Status),
        signing = key.Signing,
        createdAt = key.CreatedAt,
        activatesAt = key.ActivatesAt,
        retiresAt = key.RetiresAt,
    };

    public static object Change(ChangeRecord change) => new
    {
        id = change.Id,
        at = change.At,
        actor = change.Actor,
        action = change.Action,
        target = change.Target,
        detail = change.Detail,
    };

    public static object List<T>(IEnumerable<T> items, Func<T, object> view) => new { items = items.Select(view).ToArray() };

    private static JsonElement Json(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
