using System.Text.Json;
using Writ.Core.Admin;

namespace Writ.Server.Endpoints.Admin;

internal sealed record OwnerBody(string? Name, string? DisplayName, string? Email);

internal sealed record AgentKeyBody(JsonElement? Jwk);

internal sealed record JoinTokenBody(string? Agent, JsonElement? Ttl);

internal sealed record IssuerBody(string? Name, string? Issuer, string? JwksUri, JsonElement? Jwks, string? Audience, IReadOnlyList<ClaimRuleRequest>? Rules);

internal sealed record ClientBody(string? Name, string? Owner, string? AuthMethod, JsonElement? Jwks);

internal sealed record AdminTokenBody(string? Name, string? Owner);
